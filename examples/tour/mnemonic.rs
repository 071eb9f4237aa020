//! Tour section: mnemonic.

/// Prints this section of the tour.
pub fn run() {}
