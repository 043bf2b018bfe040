-- Render the report's styled blocks (Divs with a known class) for the output format.
-- DOCX: the Div's paragraphs take a named style of the generated reference document, so the
-- Secretariat can restyle the whole document in Word. Typst: the Div becomes a call of the
-- function of the same name defined in our template (wco.typst).
-- The table below is the one place that maps classes to styles and functions.
PANDOC_VERSION:must_be_at_least '3.1'

local STYLES = {
  ['titleblock']          = {docx = nil,                    typst = 'wco-titleblock'},
  ['tb-masthead']         = {docx = 'Masthead',             typst = 'wco-masthead'},
  ['tb-committee']        = {docx = 'Committee',            typst = 'wco-committee'},
  ['tb-sessions']         = {docx = 'Sessions',             typst = 'wco-sessions'},
  ['tb-meeting']          = {docx = 'Meeting Dates',        typst = 'wco-meeting'},
  ['tb-code']             = {docx = 'Document Code',        typst = 'wco-code'},
  ['tb-date']             = {docx = 'Document Date',        typst = 'wco-date'},
  ['tb-title']            = {docx = 'Document Title',       typst = 'wco-title'},
  ['tb-subtitle']         = {docx = 'Document Subtitle',    typst = 'wco-subtitle'},
  ['tb-agenda']           = {docx = 'Agenda Item',          typst = 'wco-agenda'},
  ['tb-draft']            = {docx = 'Draft Notice',         typst = 'wco-draft'},
  ['summary']             = {docx = 'Summary',              typst = 'wco-summary'},
  ['summary-heading']     = {docx = 'Summary Heading',      typst = 'wco-summary-heading'},
  ['summary-label']       = {docx = 'Summary Label',        typst = 'wco-summary-label'},
  ['summary-end']         = {docx = 'Summary End',          typst = 'wco-summary-end'},
  ['numbered-paragraph']  = {docx = 'Numbered Paragraph',   typst = 'wco-numbered'},
  ['casestudy']           = {docx = 'Case Study',           typst = 'wco-casestudy'},
  ['casestudy-title']     = {docx = 'Case Study Title',     typst = 'wco-casestudy-title'},
  ['casestudy-member']    = {docx = 'Case Study Member',    typst = 'wco-casestudy-member'},
  ['admonition']          = {docx = 'Admonition',           typst = 'wco-admonition'},
  ['admonition-title']    = {docx = 'Admonition Title',     typst = 'wco-admonition-title'},
  ['annex']               = {docx = nil,                    typst = 'wco-annex'},
}
-- The heading of an annex ("Annex I — ..."): a paragraph style of its own in DOCX, at outline
-- level 1 so that the TOC lists it, starting a new page (see docx_reference.py).
local ANNEX_HEADING_DOCX = 'Annex Heading'
-- The two-column row of the title block (committee at left, code and date at right): a
-- borderless table in DOCX, a grid in Typst.
local ROW_TABLE_STYLE = 'TitleBlockTable'

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

local function xml_escape(s)
  return (s:gsub('&', '&amp;'):gsub('<', '&lt;'):gsub('>', '&gt;'))
end

-- A table of contents where the Div(.toc) stands: in DOCX a TOC field that Word fills when it
-- updates fields (settings ask it to on opening), in Typst an outline. \u lists the annex
-- headings too (by their paragraphs' outline level).
local function toc(div)
  local title = div.attributes.title or 'Contents'
  if FORMAT:match('docx') then
    return pandoc.RawBlock('openxml',
      '<w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/><w:docPartUnique/>' ..
      '</w:docPartObj></w:sdtPr><w:sdtContent><w:p><w:pPr><w:pStyle w:val="TOCHeading"/></w:pPr>' ..
      '<w:r><w:t xml:space="preserve">' .. xml_escape(title) .. '</w:t></w:r></w:p><w:p><w:r>' ..
      '<w:fldChar w:fldCharType="begin" w:dirty="true"/><w:instrText xml:space="preserve">' ..
      'TOC \\o "1-2" \\h \\z \\u</w:instrText><w:fldChar w:fldCharType="separate"/>' ..
      '<w:fldChar w:fldCharType="end"/></w:r></w:p></w:sdtContent></w:sdt>' ..
      '<w:p><w:r><w:br w:type="page"/></w:r></w:p>')
  end
  return pandoc.RawBlock('typst', '#wco-toc([' .. title .. '])')
end

-- The title block's row: its two Divs (.tb-left, .tb-right) side by side.
local function row(div)
  local cells = {}
  for _, child in ipairs(div.content) do
    if child.t == 'Div' then
      table.insert(cells, child.content)
    end
  end
  if #cells ~= 2 then
    error('a .tb-row Div must hold exactly two Divs, found ' .. #cells)
  end
  local blocks = pandoc.Blocks{}
  if FORMAT:match('docx') then
    local cell = '<w:tc><w:tcPr><w:tcW w:w="2500" w:type="pct"/></w:tcPr>'
    blocks:insert(pandoc.RawBlock('openxml',
      '<w:tbl><w:tblPr><w:tblStyle w:val="' .. ROW_TABLE_STYLE .. '"/><w:tblW w:w="5000" w:type="pct"/>' ..
      '<w:tblLayout w:type="fixed"/><w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" ' ..
      'w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr>' ..
      '<w:tblGrid><w:gridCol w:w="4535"/><w:gridCol w:w="4535"/></w:tblGrid><w:tr>' .. cell))
    blocks:extend(cells[1])
    blocks:insert(pandoc.RawBlock('openxml', '</w:tc>' .. cell))
    blocks:extend(cells[2])
    blocks:insert(pandoc.RawBlock('openxml', '</w:tc></w:tr></w:tbl>'))
  else
    -- Inside the parentheses Typst is in code mode, where the blank lines pandoc puts
    -- between blocks do no harm.
    blocks:insert(pandoc.RawBlock('typst', '#wco-header-row(['))
    blocks:extend(cells[1])
    blocks:insert(pandoc.RawBlock('typst', '], ['))
    blocks:extend(cells[2])
    blocks:insert(pandoc.RawBlock('typst', '])'))
  end
  return blocks
end

-- DOCX: an annex's level-1 heading becomes a paragraph of the "Annex Heading" style (pandoc
-- gives every Header a "Heading N" style, whatever Div it is in); its id stays a bookmark.
local function annex_headings_docx(blocks)
  return blocks:map(function(block)
    if block.t == 'Header' and block.level == 1 then
      return pandoc.Div({pandoc.Para(block.content)},
                        pandoc.Attr(block.identifier, {}, {['custom-style'] = ANNEX_HEADING_DOCX}))
    end
    return block
  end)
end

-- Typst: every image with its text alternative, which PDF/UA requires and pandoc's Typst writer
-- leaves out (the alt text of a figure is its caption). The ';' ends the embedded code.
local TYPST_LENGTH = '^[%d.]+%s*[%%a-z]*$'

function Image(img)
  if not FORMAT:match('typst') then
    return nil
  end
  local alt = img.attributes.alt or pandoc.utils.stringify(img.caption)
  local args = typst_string(img.src) .. ', alt: ' .. typst_string(alt)
  for _, key in ipairs({'width', 'height'}) do
    local value = img.attributes[key]
    if value and value:match(TYPST_LENGTH) and not value:match('px$') then
      args = args .. ', ' .. key .. ': ' .. value
    end
  end
  return pandoc.RawInline('typst', '#box(image(' .. args .. '));')
end

-- DOCX: no "Title" paragraph above the title block (build.py puts the title in the document
-- properties instead).
function Meta(meta)
  if FORMAT:match('docx') then
    meta.title = nil
    meta.subtitle = nil
    return meta
  end
end

function Div(div)
  if div.classes:includes('toc') then
    return toc(div)
  end
  if div.classes:includes('tb-row') then
    return row(div)
  end
  local class, style = style_of(div)
  if not class then
    return nil
  end
  if FORMAT:match('docx') then
    if class == 'annex' then
      return annex_headings_docx(div.content)
    end
    if class == 'numbered-paragraph' then
      -- The number is text, so that it survives any copy and is the same in every output.
      local para = div.content[1]
      para.content:insert(1, pandoc.RawInline('openxml', '<w:r><w:tab/></w:r>'))
      para.content:insert(1, pandoc.Str(div.attributes.number .. '.'))
    end
    if style.docx then
      div.attributes['custom-style'] = style.docx
      return div
    end
    return div.content
  elseif FORMAT:match('typst') then
    local args = ''
    if class == 'numbered-paragraph' then
      -- Inline call inside the paragraph itself: the number and the text stay one paragraph
      -- (a block call would carry a paragraph break and split them in the tagged PDF).
      local para = div.content[1]
      para.content:insert(1, pandoc.RawInline('typst',
        '#' .. style.typst .. '(' .. typst_string(div.attributes.number) .. ')['))
      para.content:insert(pandoc.RawInline('typst', ']'))
      return para
    elseif class == 'admonition' then
      args = '(kind: ' .. typst_string(div.classes[2] or 'note') .. ')'
    end
    local blocks = pandoc.Blocks{pandoc.RawBlock('typst', '#' .. style.typst .. args .. '[')}
    blocks:extend(div.content)
    blocks:insert(pandoc.RawBlock('typst', ']'))
    return blocks
  end
end
