-- Number the sections of a WCO working document I., II., III. ...
-- A section is a top-level heading of level 1: chapters' titles. Annexes are inside Divs
-- (.annex) and keep their own titles ("Annex I"); a heading with the class .unnumbered is
-- skipped. The number is text in the heading, so DOCX, PDF and the table of contents all
-- show the same thing; the heading also gets an attribute section=N.
PANDOC_VERSION:must_be_at_least '3.1'

local ROMAN = {{1000, 'M'}, {900, 'CM'}, {500, 'D'}, {400, 'CD'}, {100, 'C'}, {90, 'XC'},
               {50, 'L'}, {40, 'XL'}, {10, 'X'}, {9, 'IX'}, {5, 'V'}, {4, 'IV'}, {1, 'I'}}

local function roman(n)
  local out = ''
  for _, pair in ipairs(ROMAN) do
    while n >= pair[1] do
      out = out .. pair[2]
      n = n - pair[1]
    end
  end
  return out
end

function Pandoc(doc)
  local n = 0
  for _, block in ipairs(doc.blocks) do
    if block.t == 'Header' and block.level == 1 and not block.classes:includes('unnumbered') then
      n = n + 1
      block.content:insert(1, pandoc.Space())
      block.content:insert(1, pandoc.Str(roman(n) .. '.'))
      block.attributes.section = tostring(n)
    end
  end
  return doc
end
