//! Path selection (placeholder, filled in below).
