//! Tour section: onion.

/// Prints this section of the tour.
pub fn run() {}
