//! Tour section: identity.

/// Prints this section of the tour.
pub fn run() {}
