//! Tour section: swarm.

/// Prints this section of the tour.
pub fn run() {}
