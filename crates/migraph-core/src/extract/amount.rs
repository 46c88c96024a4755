//! Money: find and parse amounts ("€200m", "EUR 1.2 billion", "$50m").
