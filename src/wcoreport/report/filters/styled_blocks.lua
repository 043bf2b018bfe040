-- Render the report's styled blocks (Divs with a known class) for the output format.
-- DOCX: the Div's paragraphs take a named style of the generated reference document, so the
-- Secretariat can restyle the whole document in Word. Typst: the Div becomes a call of the
-- function of the same name defined in our template (wco.typ).
-- The table below is the one place that maps classes to styles and functions.
PANDOC_VERSION:must_be_at_least '3.1'

local STYLES = {
  ['titleblock']          = {docx = nil,                    typst = 'wco-titleblock'},
  ['tb-masthead']         = {docx = 'Masthead',             typst = 'wco-masthead'},
  ['tb-committee']        = {docx = 'Committee',            typst = 'wco-committee'},
  ['tb-code']             = {docx = 'Document Code',        typst = 'wco-code'},
  ['tb-date']             = {docx = 'Document Date',        typst = 'wco-date'},
  ['tb-title']            = {docx = 'Document Title',       typst = 'wco-title'},
  ['tb-subtitle']         = {docx = 'Document Subtitle',    typst = 'wco-subtitle'},
  ['tb-agenda']           = {docx = 'Agenda Item',          typst = 'wco-agenda'},
  ['tb-draft']            = {docx = 'Draft Notice',         typst = 'wco-draft'},
  ['summary']             = {docx = 'Summary',              typst = 'wco-summary'},
  ['summary-heading']     = {docx = 'Summary Heading',      typst = 'wco-summary-heading'},
  ['numbered-paragraph']  = {docx = 'Numbered Paragraph',   typst = 'wco-numbered'},
  ['casestudy']           = {docx = 'Case Study',           typst = 'wco-casestudy'},
  ['casestudy-title']     = {docx = 'Case Study Title',     typst = 'wco-casestudy-title'},
  ['casestudy-member']    = {docx = 'Case Study Member',    typst = 'wco-casestudy-member'},
  ['admonition']          = {docx = 'Admonition',           typst = 'wco-admonition'},
  ['admonition-title']    = {docx = 'Admonition Title',     typst = 'wco-admonition-title'},
  ['annex']               = {docx = nil,                    typst = 'wco-annex'},
}

local function style_of(div)
  for _, class in ipairs(div.classes) do
    if STYLES[class] then
      return class, STYLES[class]
    end
  end
end

local function typst_string(s)
  return '"' .. s:gsub('\\', '\\\\'):gsub('"', '\\"') .. '"'
end

local PAGE_BREAK_DOCX = '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'

-- A table of contents where the Div(.toc) stands: in DOCX a TOC field that Word fills when it
-- updates fields (settings ask it to on opening), in Typst an outline.
local function toc(div)
  local title = div.attributes.title or 'Contents'
  if FORMAT:match('docx') then
    return pandoc.RawBlock('openxml',
      '<w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/><w:docPartUnique/>' ..
      '</w:docPartObj></w:sdtPr><w:sdtContent><w:p><w:pPr><w:pStyle w:val="TOCHeading"/></w:pPr>' ..
      '<w:r><w:t xml:space="preserve">' .. title .. '</w:t></w:r></w:p><w:p><w:r>' ..
      '<w:fldChar w:fldCharType="begin" w:dirty="true"/><w:instrText xml:space="preserve">' ..
      'TOC \\o "1-2" \\h \\z \\u</w:instrText><w:fldChar w:fldCharType="separate"/>' ..
      '<w:fldChar w:fldCharType="end"/></w:r></w:p></w:sdtContent></w:sdt>' .. PAGE_BREAK_DOCX)
  end
  return pandoc.RawBlock('typst', '#wco-toc([' .. title .. '])')
end

function Div(div)
  if div.classes:includes('toc') then
    return toc(div)
  end
  local class, style = style_of(div)
  if not class then
    return nil
  end
  if FORMAT:match('docx') then
    local blocks = pandoc.Blocks{}
    if class == 'annex' then
      blocks:insert(pandoc.RawBlock('openxml', PAGE_BREAK_DOCX))
    end
    if class == 'numbered-paragraph' then
      -- The number is text, so that it survives any copy and is the same in every output.
      local para = div.content[1]
      para.content:insert(1, pandoc.RawInline('openxml', '<w:r><w:tab/></w:r>'))
      para.content:insert(1, pandoc.Str(div.attributes.number .. '.'))
    end
    if style.docx then
      div.attributes['custom-style'] = style.docx
      blocks:insert(div)
    else
      blocks:extend(div.content)
    end
    return blocks
  elseif FORMAT:match('typst') then
    local args = ''
    if class == 'numbered-paragraph' then
      args = '(' .. typst_string(div.attributes.number) .. ')'
    elseif class == 'admonition' then
      args = '(kind: ' .. typst_string(div.classes[2] or 'note') .. ')'
    end
    local blocks = pandoc.Blocks{pandoc.RawBlock('typst', '#' .. style.typst .. args .. '[')}
    blocks:extend(div.content)
    blocks:insert(pandoc.RawBlock('typst', ']'))
    return blocks
  end
end
