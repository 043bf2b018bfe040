"""The report adapter: pandoc, a generated DOCX reference document, and Typst for the PDF."""
