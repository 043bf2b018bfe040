-- Number the body paragraphs of a WCO working document continuously: 1, 2, 3 ...
-- Only top-level paragraphs are numbered: not headings, nor the paragraphs inside Divs
-- (case studies, admonitions, summary, annexes), lists, tables, quotes or notes, nor a
-- paragraph that holds only an image.
-- Must run before any filter that unwraps Divs, or their text gets numbered.
-- Output: each numbered paragraph wrapped in Div(.numbered-paragraph, number=N), which the
-- format filter (styled_blocks.lua) renders for DOCX and Typst.
PANDOC_VERSION:must_be_at_least '3.1'

local function only_images(para)
  for _, inline in ipairs(para.content) do
    if inline.t ~= 'Image' and inline.t ~= 'Space' and inline.t ~= 'SoftBreak' and inline.t ~= 'LineBreak' then
      return false
    end
  end
  return true
end

function Pandoc(doc)
  local n = 0
  doc.blocks = doc.blocks:map(function(block)
    if block.t ~= 'Para' or only_images(block) then
      return block
    end
    n = n + 1
    return pandoc.Div({block}, pandoc.Attr('', {'numbered-paragraph'}, {number = tostring(n)}))
  end)
  return doc
end
