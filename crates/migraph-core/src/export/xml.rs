//! A thin layer over quick-xml's writer for the GEXF and GraphML exporters.
//!
//! It escapes every attribute value and text node (quick-xml escapes `<>&'"` and, in
//! attributes, tabs and newlines) and indents with two spaces. It knows nothing of
//! either format and must not be used to write unescaped markup.

use std::io::{self, Write};

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

/// An indenting XML writer over any sink.
pub(super) struct Xml<W: Write> {
    inner: Writer<W>,
}

impl<W: Write> Xml<W> {
    /// Starts a UTF-8 XML 1.0 document.
    pub(super) fn new(sink: W) -> io::Result<Xml<W>> {
        let mut inner = Writer::new_with_indent(sink, b' ', 2);
        inner.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        Ok(Xml { inner })
    }

    fn element<'a>(name: &'a str, attrs: &[(&'a str, &'a str)]) -> BytesStart<'a> {
        BytesStart::new(name).with_attributes(attrs.iter().copied())
    }

    /// Opens an element with attributes.
    pub(super) fn start(&mut self, name: &str, attrs: &[(&str, &str)]) -> io::Result<()> {
        self.inner.write_event(Event::Start(Self::element(name, attrs)))
    }

    /// Writes an empty element with attributes.
    pub(super) fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) -> io::Result<()> {
        self.inner.write_event(Event::Empty(Self::element(name, attrs)))
    }

    /// Writes an element holding only text.
    pub(super) fn text_element(
        &mut self,
        name: &str,
        attrs: &[(&str, &str)],
        text: &str,
    ) -> io::Result<()> {
        self.start(name, attrs)?;
        self.inner.write_event(Event::Text(BytesText::new(text)))?;
        self.end(name)
    }

    /// Closes an element.
    pub(super) fn end(&mut self, name: &str) -> io::Result<()> {
        self.inner.write_event(Event::End(BytesEnd::new(name)))
    }

    /// Ends the document with a newline and flushes the sink.
    pub(super) fn finish(mut self) -> io::Result<()> {
        let sink = self.inner.get_mut();
        sink.write_all(b"\n")?;
        sink.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escapes_attributes_and_text() {
        let mut out = Vec::new();
        let mut xml = Xml::new(&mut out).unwrap();
        xml.start("a", &[("q", "<&\"'>")]).unwrap();
        xml.text_element("b", &[], "x < y & 'z'").unwrap();
        xml.end("a").unwrap();
        xml.finish().unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a q=\"&lt;&amp;&quot;&apos;&gt;\">\n  \
             <b>x &lt; y &amp; &apos;z&apos;</b>\n</a>\n"
        );
    }
}
