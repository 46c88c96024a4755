//! A small streaming XML writer for the GEXF and GraphML exporters.
//!
//! It escapes every attribute value and text node and indents with two spaces, byte
//! for byte as quick-xml's indenting writer did before (attribute values escape
//! `<>&'"` and tab, newline and carriage return; text escapes `<>&'"` and carriage
//! return), so goldens written with either are equal. It writes straight into a large
//! buffer without building events or intermediate strings, because exports of a
//! million edges spend most of their time here. It knows nothing of either format
//! and must not be used to write unescaped markup: only [`Xml::attr_raw`] skips
//! escaping, and only for values its caller formats itself (numbers).

use std::io::{self, BufWriter, Write};

use super::Value;

/// Size of the output buffer: large enough that the sink sees few, big writes.
const BUFFER: usize = 1 << 18;

/// Two spaces per level, sliced for indentation without a loop.
const SPACES: &[u8; 64] = b"                                                                ";

/// An indenting XML writer over any sink.
pub(super) struct Xml<W: Write> {
    out: BufWriter<W>,
    /// Number of open elements.
    depth: usize,
    /// Whether the last thing written was a text node, after which the closing tag
    /// stays on the same line.
    after_text: bool,
}

/// Writes an unsigned integer in decimal without allocating.
pub(super) fn write_u64(out: &mut impl Write, mut value: u64) -> io::Result<()> {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        // The remainder is below 10, so the cast cannot truncate.
        digits[at] = b'0' + (value % 10) as u8;
        value /= 10;
        if value == 0 {
            break;
        }
    }
    out.write_all(&digits[at..])
}

/// Which bytes to escape: bit 0 in attribute values, bit 1 in text nodes.
const ESCAPE: [u8; 256] = {
    let mut table = [0u8; 256];
    table[b'<' as usize] = 3;
    table[b'>' as usize] = 3;
    table[b'&' as usize] = 3;
    table[b'\'' as usize] = 3;
    table[b'"' as usize] = 3;
    table[b'\r' as usize] = 3;
    table[b'\n' as usize] = 1;
    table[b'\t' as usize] = 1;
    table
};

/// [`ESCAPE`] bit of attribute values.
const IN_ATTRIBUTE: u8 = 1;

/// [`ESCAPE`] bit of text nodes.
const IN_TEXT: u8 = 2;

/// Writes `text` with the bytes whose [`ESCAPE`] entry has bit `mask` replaced by
/// entities.
///
/// Only ASCII bytes are ever replaced, so slicing between them keeps UTF-8 intact.
fn write_escaped(out: &mut impl Write, text: &str, mask: u8) -> io::Result<()> {
    let bytes = text.as_bytes();
    let mut from = 0;
    for (at, &b) in bytes.iter().enumerate() {
        if ESCAPE[usize::from(b)] & mask == 0 {
            continue;
        }
        out.write_all(&bytes[from..at])?;
        let entity: &[u8] = match b {
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'&' => b"&amp;",
            b'\'' => b"&apos;",
            b'"' => b"&quot;",
            b'\t' => b"&#9;",
            b'\n' => b"&#10;",
            _ => b"&#13;",
        };
        out.write_all(entity)?;
        from = at + 1;
    }
    out.write_all(&bytes[from..])
}

impl<W: Write> Xml<W> {
    /// Starts a UTF-8 XML 1.0 document.
    pub(super) fn new(sink: W) -> io::Result<Xml<W>> {
        let mut out = BufWriter::with_capacity(BUFFER, sink);
        out.write_all(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
        Ok(Xml { out, depth: 0, after_text: false })
    }

    /// Starts a new line indented to the current depth.
    fn newline(&mut self) -> io::Result<()> {
        self.out.write_all(b"\n")?;
        let mut width = 2 * self.depth;
        while width > 0 {
            let step = width.min(SPACES.len());
            self.out.write_all(&SPACES[..step])?;
            width -= step;
        }
        Ok(())
    }

    /// Begins a tag, `<name`, on a new line; attributes follow, then
    /// [`Xml::close_start`] or [`Xml::close_empty`].
    pub(super) fn open(&mut self, name: &str) -> io::Result<()> {
        self.newline()?;
        self.after_text = false;
        self.out.write_all(b"<")?;
        self.out.write_all(name.as_bytes())
    }

    /// Adds an attribute to the open tag, escaping the value.
    pub(super) fn attr(&mut self, name: &str, value: &str) -> io::Result<()> {
        self.attr_name(name)?;
        write_escaped(&mut self.out, value, IN_ATTRIBUTE)?;
        self.out.write_all(b"\"")
    }

    /// Adds an attribute whose value the caller guarantees needs no escaping.
    pub(super) fn attr_raw(&mut self, name: &str, value: &[u8]) -> io::Result<()> {
        self.attr_name(name)?;
        self.out.write_all(value)?;
        self.out.write_all(b"\"")
    }

    /// Adds an integer attribute.
    pub(super) fn attr_u64(&mut self, name: &str, value: u64) -> io::Result<()> {
        self.attr_name(name)?;
        write_u64(&mut self.out, value)?;
        self.out.write_all(b"\"")
    }

    /// Adds an attribute holding a [`Value`].
    pub(super) fn attr_value(&mut self, name: &str, value: &Value<'_>) -> io::Result<()> {
        self.attr_name(name)?;
        self.value(value, IN_ATTRIBUTE)?;
        self.out.write_all(b"\"")
    }

    fn attr_name(&mut self, name: &str) -> io::Result<()> {
        self.out.write_all(b" ")?;
        self.out.write_all(name.as_bytes())?;
        self.out.write_all(b"=\"")
    }

    /// Writes a value, escaping text with the [`ESCAPE`] bit `escape`.
    fn value(&mut self, value: &Value<'_>, escape: u8) -> io::Result<()> {
        match value {
            Value::Str(s) => write_escaped(&mut self.out, s, escape),
            Value::Owned(s) => write_escaped(&mut self.out, s, escape),
            Value::UInt(n) => write_u64(&mut self.out, *n),
            Value::Bool(b) => self.out.write_all(if *b { b"true" } else { b"false" }),
            Value::Fixed(x, decimals) => super::write_fixed(&mut self.out, *x, *decimals),
            Value::Date(d) => write!(self.out, "{d}"),
        }
    }

    /// Ends the open tag as a start tag, `>`.
    pub(super) fn close_start(&mut self) -> io::Result<()> {
        self.depth += 1;
        self.out.write_all(b">")
    }

    /// Ends the open tag as an empty element, `/>`.
    pub(super) fn close_empty(&mut self) -> io::Result<()> {
        self.out.write_all(b"/>")
    }

    /// Opens an element with attributes.
    pub(super) fn start(&mut self, name: &str, attrs: &[(&str, &str)]) -> io::Result<()> {
        self.open(name)?;
        for (k, v) in attrs {
            self.attr(k, v)?;
        }
        self.close_start()
    }

    /// Writes an empty element with attributes.
    pub(super) fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) -> io::Result<()> {
        self.open(name)?;
        for (k, v) in attrs {
            self.attr(k, v)?;
        }
        self.close_empty()
    }

    /// Writes an element holding only text.
    pub(super) fn text_element(
        &mut self,
        name: &str,
        attrs: &[(&str, &str)],
        text: &str,
    ) -> io::Result<()> {
        self.text_value_element(name, attrs, &Value::Str(text))
    }

    /// Writes an element holding only a [`Value`] as text.
    pub(super) fn text_value_element(
        &mut self,
        name: &str,
        attrs: &[(&str, &str)],
        value: &Value<'_>,
    ) -> io::Result<()> {
        self.start(name, attrs)?;
        self.value(value, IN_TEXT)?;
        self.after_text = true;
        self.end(name)
    }

    /// Closes an element.
    pub(super) fn end(&mut self, name: &str) -> io::Result<()> {
        self.depth = self.depth.saturating_sub(1);
        if !self.after_text {
            self.newline()?;
        }
        self.after_text = false;
        self.out.write_all(b"</")?;
        self.out.write_all(name.as_bytes())?;
        self.out.write_all(b">")
    }

    /// Ends the document with a newline and flushes the sink.
    pub(super) fn finish(mut self) -> io::Result<()> {
        self.out.write_all(b"\n")?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escapes_attributes_and_text() {
        let mut out = Vec::new();
        let mut xml = Xml::new(&mut out).unwrap();
        xml.start("a", &[("q", "<&\"'>\t\n\r")]).unwrap();
        xml.text_element("b", &[], "x < y & 'z'\t\r").unwrap();
        xml.empty("c", &[]).unwrap();
        xml.end("a").unwrap();
        xml.finish().unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a q=\"&lt;&amp;&quot;&apos;&gt;&#9;&#10;&#13;\">\n  \
             <b>x &lt; y &amp; &apos;z&apos;\t&#13;</b>\n  <c/>\n</a>\n"
        );
    }

    #[test]
    fn xml_writes_values_without_escaping_numbers() {
        let mut out = Vec::new();
        let mut xml = Xml::new(&mut out).unwrap();
        xml.open("v").unwrap();
        xml.attr_u64("n", 0).unwrap();
        xml.attr_u64("m", u64::MAX).unwrap();
        xml.attr_value("f", &Value::Fixed(1.0 / 3.0, 2)).unwrap();
        xml.attr_value("b", &Value::Bool(false)).unwrap();
        xml.attr_value("s", &Value::Owned("é&".into())).unwrap();
        xml.close_empty().unwrap();
        xml.finish().unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.ends_with(
                "\n<v n=\"0\" m=\"18446744073709551615\" f=\"0.33\" b=\"false\" s=\"é&amp;\"/>\n"
            ),
            "{text}"
        );
    }

    #[test]
    fn xml_indents_deep_nesting() {
        let mut out = Vec::new();
        let mut xml = Xml::new(&mut out).unwrap();
        for _ in 0..40 {
            xml.start("d", &[]).unwrap();
        }
        xml.empty("leaf", &[]).unwrap();
        xml.finish().unwrap();
        let text = String::from_utf8(out).unwrap();
        let leaf = text.lines().find(|l| l.ends_with("<leaf/>")).unwrap();
        assert_eq!(leaf.len() - "<leaf/>".len(), 80, "{leaf:?}");
    }
}
