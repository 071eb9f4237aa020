//! How the tour talks: numbered steps, indented notes, and (with `--verbose`) what each node
//! sees.

use std::fmt::Display;

/// Prints the story: numbered steps, notes under them, and details shown only with `--verbose`.
pub struct Narrator {
    verbose: bool,
    step: usize,
}

impl Narrator {
    pub fn new(verbose: bool) -> Self {
        Narrator { verbose, step: 0 }
    }

    /// A chapter title.
    pub fn chapter(&self, title: impl Display) {
        println!("\n## {title}");
    }

    /// The next numbered step.
    pub fn step(&mut self, text: impl Display) {
        self.step += 1;
        println!("{:>2}. {text}", self.step);
    }

    /// A line under the current step.
    pub fn note(&self, text: impl Display) {
        println!("    {text}");
    }

    /// A line shown only with `--verbose`: what one party sees or learns.
    pub fn detail(&self, text: impl Display) {
        if self.verbose {
            println!("      · {text}");
        }
    }
}

/// The first 8 hex digits of a key, for people.
pub fn short(bytes: &[u8]) -> String {
    let mut s = session_infra::common::encoding::encode_hex(bytes);
    s.truncate(8);
    s + "…"
}

/// Thousands separators for people: 15000000000000 -> "15,000,000,000,000".
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A random index below `n` (the tour's choices come from its seeded RNG, so every run is
/// the same).
pub fn pick(rng: &mut impl rand_core::Rng, n: usize) -> usize {
    (rng.next_u64() % n.max(1) as u64) as usize
}

/// A swarm id as oxend's node list shows it (`"swarm": "bfffffffffffffff"`).
pub fn swarm_name(id: session_infra::common::SwarmId) -> String {
    format!("{:016x}", id.0)
}
