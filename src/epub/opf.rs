//! The package document (`content.opf`): the metadata, the manifest of every file in the
//! publication, the spine (reading order) and the guide for EPUB 2 reading systems.

use super::xhtml::attr;

/// The id of the `dc:identifier` that identifies the publication.
pub(super) const UNIQUE_ID: &str = "epub-id-1";
/// The navigation document, inside `OEBPS/`.
pub(super) const NAV: &str = "nav.xhtml";
/// The NCX, inside `OEBPS/`.
pub(super) const NCX: &str = "toc.ncx";
/// The manifest id of the cover image.
pub(super) const COVER_IMAGE_ID: &str = "cover-image";

/// What a file is to the package.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    /// Used by the documents: stylesheet, fonts, article images.
    Resource,
    /// The publication's cover image.
    CoverImage,
    /// A document of the reading order, listed in the spine.
    Document,
}

/// One file of the publication besides the package document, the navigation document and
/// the NCX.
#[derive(Debug, Clone)]
pub(super) struct Resource<'a> {
    /// The path inside `OEBPS/`.
    pub href: String,
    pub media_type: &'static str,
    pub role: Role,
    pub data: &'a [u8],
}

/// The package document. `metadata` is the `<metadata>` element; `resources` are listed
/// in the manifest in their order, and the documents among them form the spine; `guide`
/// holds (type, title, href) references.
pub(super) fn document(
    lang: &str,
    metadata: &str,
    resources: &[Resource],
    guide: &[(&str, &str, &str)],
) -> String {
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <package version=\"3.0\" xmlns=\"http://www.idpf.org/2007/opf\" \
         unique-identifier=\"{UNIQUE_ID}\" xml:lang=\"{lang}\">\n  {metadata}\n  <manifest>\n    \
         <item id=\"ncx\" href=\"{NCX}\" media-type=\"application/x-dtbncx+xml\"/>\n    \
         <item id=\"nav\" href=\"{NAV}\" media-type=\"application/xhtml+xml\" properties=\"nav\"/>\n",
        lang = attr(lang)
    );
    for resource in resources {
        let properties = match resource.role {
            Role::CoverImage => "properties=\"cover-image\" ",
            _ => "",
        };
        out.push_str(&format!(
            "    <item media-type=\"{}\" {properties}id=\"{}\" href=\"{}\"/>\n",
            attr(resource.media_type),
            attr(&manifest_id(resource)),
            attr(&resource.href),
        ));
    }
    out.push_str("  </manifest>\n  <spine toc=\"ncx\" page-progression-direction=\"ltr\">\n");
    for resource in resources.iter().filter(|r| r.role == Role::Document) {
        out.push_str(&format!(
            "    <itemref idref=\"{}\"/>\n",
            attr(&manifest_id(resource))
        ));
    }
    out.push_str("  </spine>\n  <guide>\n");
    for (kind, title, href) in guide {
        out.push_str(&format!(
            "    <reference type=\"{}\" title=\"{}\" href=\"{}\"/>\n",
            attr(kind),
            attr(title),
            attr(href)
        ));
    }
    out.push_str("  </guide>\n</package>\n");
    out
}

/// The manifest id of `resource`: `id_` and its path, with `_` for characters an id
/// cannot hold (`articles/a.xhtml` → `id_articles_a.xhtml`).
pub(super) fn manifest_id(resource: &Resource) -> String {
    if resource.role == Role::CoverImage {
        return COVER_IMAGE_ID.to_string();
    }
    let path = resource.href.chars().map(|c| {
        if c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_') {
            c
        } else {
            '_'
        }
    });
    "id_".chars().chain(path).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resource(href: &str, media_type: &'static str, role: Role) -> Resource<'static> {
        Resource {
            href: href.into(),
            media_type,
            role,
            data: b"",
        }
    }

    fn resources() -> Vec<Resource<'static>> {
        vec![
            resource("stylesheet.css", "text/css", Role::Resource),
            resource("fonts/Serif-Regular.otf", "font/otf", Role::Resource),
            resource("images/cover.jpg", "image/jpeg", Role::CoverImage),
            resource("images/chart.png", "image/png", Role::Resource),
            resource("cover.xhtml", "application/xhtml+xml", Role::Document),
            resource("masthead.xhtml", "application/xhtml+xml", Role::Document),
            resource("articles/b.xhtml", "application/xhtml+xml", Role::Document),
            resource("articles/a.xhtml", "application/xhtml+xml", Role::Document),
        ]
    }

    /// Every value of `attr="..."` in the lines of `opf` that start with `<element `.
    fn values<'a>(opf: &'a str, element: &str, attr: &str) -> Vec<&'a str> {
        let needle = format!(" {attr}=\"");
        opf.lines()
            .filter(|l| l.trim_start().starts_with(&format!("<{element} ")))
            .map(|l| {
                let rest = &l[l.find(&needle).unwrap() + needle.len()..];
                &rest[..rest.find('"').unwrap()]
            })
            .collect()
    }

    const GUIDE: [(&str, &str, &str); 2] = [
        ("toc", "Contents", "nav.xhtml"),
        ("text", "Q & A \"1\"", "articles/b.xhtml"),
    ];

    #[test]
    fn manifest_lists_every_file_once() {
        let resources = resources();
        let opf = document("en", "<metadata/>", &resources, &GUIDE);
        let mut expected: Vec<&str> = vec!["toc.ncx", "nav.xhtml"];
        expected.extend(resources.iter().map(|r| r.href.as_str()));
        assert_eq!(values(&opf, "item", "href"), expected);
        let ids = values(&opf, "item", "id");
        let mut unique = ids.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), ids.len(), "{ids:?}");
        let media_types = values(&opf, "item", "media-type");
        assert_eq!(
            media_types[2..],
            ["text/css", "font/otf", "image/jpeg", "image/png"]
                .into_iter()
                .chain(["application/xhtml+xml"; 4])
                .collect::<Vec<_>>()
        );
        assert!(opf.contains(
            "<item media-type=\"image/jpeg\" properties=\"cover-image\" id=\"cover-image\" href=\"images/cover.jpg\"/>"
        ));
        assert_eq!(opf.matches("properties=\"cover-image\"").count(), 1);
        assert!(opf.contains("<item id=\"nav\" href=\"nav.xhtml\" media-type=\"application/xhtml+xml\" properties=\"nav\"/>"));
    }

    #[test]
    fn spine_is_the_documents_in_order() {
        let opf = document("en", "<metadata/>", &resources(), &GUIDE);
        assert_eq!(
            values(&opf, "itemref", "idref"),
            [
                "id_cover.xhtml",
                "id_masthead.xhtml",
                "id_articles_b.xhtml",
                "id_articles_a.xhtml"
            ]
        );
        assert!(opf.contains("<spine toc=\"ncx\" page-progression-direction=\"ltr\">"));
    }

    #[test]
    fn package_holds_metadata_and_guide() {
        let opf = document("en", "<metadata>m</metadata>", &resources(), &GUIDE);
        assert!(opf.starts_with(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<package version=\"3.0\" \
             xmlns=\"http://www.idpf.org/2007/opf\" unique-identifier=\"epub-id-1\" xml:lang=\"en\">\n  \
             <metadata>m</metadata>\n  <manifest>\n"
        ));
        assert!(opf.ends_with(
            "  <guide>\n    <reference type=\"toc\" title=\"Contents\" href=\"nav.xhtml\"/>\n    \
             <reference type=\"text\" title=\"Q &amp; A &quot;1&quot;\" href=\"articles/b.xhtml\"/>\n  \
             </guide>\n</package>\n"
        ));
    }

    #[test]
    fn manifest_ids_are_valid_names() {
        let id = |href: &str| manifest_id(&resource(href, "text/css", Role::Resource));
        assert_eq!(id("articles/a-1.xhtml"), "id_articles_a-1.xhtml");
        assert_eq!(id("fonts/X_Y.otf"), "id_fonts_X_Y.otf");
        assert_eq!(id("images/a b+c.png"), "id_images_a_b_c.png");
        assert_eq!(
            manifest_id(&resource("cover.svg", "image/svg+xml", Role::CoverImage)),
            COVER_IMAGE_ID
        );
    }
}
