//! Node colours and sizes shared by every export format.
//!
//! The palette is fixed and colour-blind safe: the eight colours of Okabe and Ito
//! ("Color Universal Design", 2008) plus four of Paul Tol's muted scheme (wine,
//! olive, indigo, grey), one per [`EntityKind`]. Colours never depend on the data, so
//! the same type has the same colour in every export and every Gephi workspace.
//! This module only maps values; it writes nothing.

use crate::model::EntityKind;

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rgb {
    /// Red, 0–255.
    pub r: u8,
    /// Green, 0–255.
    pub g: u8,
    /// Blue, 0–255.
    pub b: u8,
}

impl Rgb {
    const fn new(r: u8, g: u8, b: u8) -> Rgb {
        Rgb { r, g, b }
    }

    /// The colour as `#RRGGBB` (uppercase hex).
    pub fn hex(self) -> String {
        format!("#{:02X}{:02X}{:02X}", self.r, self.g, self.b)
    }

    /// Black or white, whichever reads better on this colour (WCAG relative
    /// luminance above or below 0.179, the point where both contrasts are equal).
    pub fn text_color(self) -> Rgb {
        let channel = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.04045 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
        };
        let luminance =
            0.2126 * channel(self.r) + 0.7152 * channel(self.g) + 0.0722 * channel(self.b);
        if luminance > 0.179 { Rgb::new(0, 0, 0) } else { Rgb::new(255, 255, 255) }
    }
}

/// The fixed colour of an entity type.
///
/// | type | colour | source |
/// |---|---|---|
/// | Country | `#0072B2` blue | Okabe–Ito |
/// | Region | `#56B4E9` sky blue | Okabe–Ito |
/// | EUInstitution | `#E69F00` orange | Okabe–Ito |
/// | EUAgency | `#D55E00` vermillion | Okabe–Ito |
/// | Mission | `#CC79A7` reddish purple | Okabe–Ito |
/// | InternationalOrganisation | `#009E73` bluish green | Okabe–Ito |
/// | Authority | `#882255` wine | Tol muted |
/// | Company | `#F0E442` yellow | Okabe–Ito |
/// | NGO | `#BBBBBB` grey | Tol |
/// | Person | `#000000` black | Okabe–Ito |
/// | Programme | `#999933` olive | Tol muted |
/// | Agreement | `#332288` indigo | Tol muted |
pub const fn color_of(kind: EntityKind) -> Rgb {
    match kind {
        EntityKind::Country => Rgb::new(0x00, 0x72, 0xB2),
        EntityKind::Region => Rgb::new(0x56, 0xB4, 0xE9),
        EntityKind::EUInstitution => Rgb::new(0xE6, 0x9F, 0x00),
        EntityKind::EUAgency => Rgb::new(0xD5, 0x5E, 0x00),
        EntityKind::Mission => Rgb::new(0xCC, 0x79, 0xA7),
        EntityKind::InternationalOrganisation => Rgb::new(0x00, 0x9E, 0x73),
        EntityKind::Authority => Rgb::new(0x88, 0x22, 0x55),
        EntityKind::Company => Rgb::new(0xF0, 0xE4, 0x42),
        EntityKind::NGO => Rgb::new(0xBB, 0xBB, 0xBB),
        EntityKind::Person => Rgb::new(0x00, 0x00, 0x00),
        EntityKind::Programme => Rgb::new(0x99, 0x99, 0x33),
        EntityKind::Agreement => Rgb::new(0x33, 0x22, 0x88),
    }
}

/// The display size of a node: `10 + 5·√weighted_degree`.
///
/// The square root makes the disc's area, not its radius, grow with the number of
/// statements, so hubs stand out without hiding their neighbours; an isolated node
/// still gets size 10.
pub fn node_size(weighted_degree: usize) -> f64 {
    // Degrees are far below 2^52, so the conversion is exact.
    10.0 + 5.0 * (weighted_degree as f64).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn color_of_gives_each_type_its_own_colour() {
        let mut seen: Vec<String> = EntityKind::ALL.iter().map(|k| color_of(*k).hex()).collect();
        seen.sort();
        seen.dedup();
        assert_eq!(seen.len(), EntityKind::ALL.len());
        assert_eq!(color_of(EntityKind::Country).hex(), "#0072B2");
    }

    #[test]
    fn text_color_contrasts_with_fill() {
        assert_eq!(color_of(EntityKind::Person).text_color(), Rgb::new(255, 255, 255));
        assert_eq!(color_of(EntityKind::Company).text_color(), Rgb::new(0, 0, 0));
        assert_eq!(color_of(EntityKind::Agreement).text_color(), Rgb::new(255, 255, 255));
    }

    #[test]
    fn node_size_grows_with_square_root() {
        assert_eq!(node_size(0), 10.0);
        assert_eq!(node_size(4), 20.0);
        assert!(node_size(100) < 10.0 * node_size(1));
    }
}
