//! Lenient value types for hand-written files: a string that may be written as a bare
//! number, and a name or a list of names.

use std::fmt;

use serde::de::{self, Deserializer, SeqAccess, Visitor};

/// A string, also accepted as a bare integer (`issue = 42`, `title: 1984`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Text(pub String);

struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Text;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
        Ok(Text(v.to_string()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Text, E> {
        Ok(Text(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Text, E> {
        Ok(Text(v.to_string()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Text, E> {
        Ok(Text(v.to_string()))
    }
}

impl<'de> de::Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(TextVisitor)
    }
}

/// One name or a list of names (`author: Ann`, `authors: [Ann, Bo]`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Names(pub Vec<String>);

struct NamesVisitor;

impl<'de> Visitor<'de> for NamesVisitor {
    type Value = Names;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a name or a list of names")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Names, E> {
        Ok(Names(vec![v.to_string()]))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Names, E> {
        Ok(Names(vec![v]))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Names, A::Error> {
        let mut names = Vec::new();
        while let Some(Text(name)) = seq.next_element::<Text>()? {
            names.push(name);
        }
        Ok(Names(names))
    }
}

impl<'de> de::Deserialize<'de> for Names {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NamesVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize)]
    struct T {
        a: Text,
        b: Names,
        c: Names,
    }

    #[test]
    fn lenient_text_and_names() {
        let t: T = toml::from_str("a = 42\nb = \"Ann\"\nc = [\"Ann\", \"Bo\"]\n").unwrap();
        assert_eq!(t.a, Text("42".into()));
        assert_eq!(t.b.0, vec!["Ann".to_string()]);
        assert_eq!(t.c.0, vec!["Ann".to_string(), "Bo".into()]);
        let t: T = serde_norway::from_str("a: x\nb: Ann\nc: [Ann, Bo]\n").unwrap();
        assert_eq!(t.a, Text("x".into()));
        assert_eq!(t.c.0.len(), 2);
        assert!(toml::from_str::<T>("a = 1.5\nb = \"A\"\nc = \"B\"\n").is_err());
    }
}
