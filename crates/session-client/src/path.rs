//! Onion paths: building, choosing, failing, repairing and rotating them.

use alloc::vec::Vec;

use rand_core::CryptoRng;
use session_core::{Ed25519PublicKey, ServiceNode, Timestamp};

use crate::pool::NodePool;
use crate::{Config, random};

/// The two kinds of request libsession keeps separate paths for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Category {
    /// Messages, swarm and node requests.
    Standard,
    /// File uploads and downloads, so that large transfers do not stall messages.
    File,
}

impl Category {
    /// Both categories.
    pub const ALL: [Category; 2] = [Category::Standard, Category::File];
}

/// Identifies a path for as long as it lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PathId(pub u64);

/// One onion path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Path {
    id: PathId,
    category: Category,
    nodes: Vec<ServiceNode>,
    strikes: u32,
    rotate_at: Timestamp,
}

impl Path {
    /// Its identifier.
    #[must_use]
    pub fn id(&self) -> PathId {
        self.id
    }

    /// Its request category.
    #[must_use]
    pub fn category(&self) -> Category {
        self.category
    }

    /// Its nodes, guard first.
    #[must_use]
    pub fn nodes(&self) -> &[ServiceNode] {
        &self.nodes
    }

    /// Failures recorded against it.
    #[must_use]
    pub fn strikes(&self) -> u32 {
        self.strikes
    }

    /// When it is replaced by a fresh path.
    #[must_use]
    pub fn rotate_at(&self) -> Timestamp {
        self.rotate_at
    }

    fn contains(&self, key: &Ed25519PublicKey) -> bool {
        self.nodes.iter().any(|n| n.ed25519 == *key)
    }
}

/// The live paths of both categories.
#[derive(Debug, Clone)]
pub struct PathSet {
    config: Config,
    paths: Vec<Path>,
    next_id: u64,
}

impl PathSet {
    /// No paths.
    #[must_use]
    pub fn new(config: Config) -> Self {
        PathSet {
            config,
            paths: Vec::new(),
            next_id: 0,
        }
    }

    /// The live paths.
    #[must_use]
    pub fn paths(&self) -> &[Path] {
        &self.paths
    }

    /// The path `id`, if it is still live.
    #[must_use]
    pub fn get(&self, id: PathId) -> Option<&Path> {
        self.paths.iter().find(|p| p.id == id)
    }

    /// Every node on a live path.
    #[must_use]
    pub fn in_use(&self) -> Vec<ServiceNode> {
        self.paths
            .iter()
            .flat_map(|p| p.nodes.iter().copied())
            .collect()
    }

    /// Builds one path of `category` from nodes no other path uses (nor, with subnet
    /// diversity, any /24 another path uses). `None` when the pool cannot supply enough.
    pub fn build<R: CryptoRng + ?Sized>(
        &mut self,
        category: Category,
        pool: &NodePool,
        now: Timestamp,
        rng: &mut R,
    ) -> Option<PathId> {
        let nodes = pool.unused_nodes(self.config.path_length, &self.in_use(), now, rng);
        if nodes.len() < self.config.path_length || nodes.is_empty() {
            return None;
        }
        let id = PathId(self.next_id);
        self.next_id = self.next_id.wrapping_add(1);
        let rotate_at = Timestamp(now.0.saturating_add(self.config.path_rotation_ms));
        self.paths.push(Path {
            id,
            category,
            nodes,
            strikes: 0,
            rotate_at,
        });
        Some(id)
    }

    /// Builds paths until each category has the minimum (or the pool runs out); the new ids.
    pub fn fill<R: CryptoRng + ?Sized>(
        &mut self,
        pool: &NodePool,
        now: Timestamp,
        rng: &mut R,
    ) -> Vec<PathId> {
        let mut built = Vec::new();
        for category in Category::ALL {
            while self.count(category) < self.config.min_paths_per_category {
                match self.build(category, pool, now, rng) {
                    Some(id) => built.push(id),
                    None => break,
                }
            }
        }
        built
    }

    /// Live paths of `category`.
    #[must_use]
    pub fn count(&self, category: Category) -> usize {
        self.paths.iter().filter(|p| p.category == category).count()
    }

    /// Retires the paths due for rotation at `now` (their replacements come from
    /// [`PathSet::fill`]); the retired ids.
    ///
    /// libsession-util keeps a rotated path until its last in-flight request ends; here it is
    /// retired at once and answers still in flight on it only penalize nodes.
    pub fn rotate(&mut self, now: Timestamp) -> Vec<PathId> {
        let (due, keep): (Vec<Path>, Vec<Path>) =
            self.paths.drain(..).partition(|p| p.rotate_at <= now);
        self.paths = keep;
        due.into_iter().map(|p| p.id).collect()
    }

    /// The earliest rotation.
    #[must_use]
    pub fn next_rotation(&self) -> Option<Timestamp> {
        self.paths.iter().map(|p| p.rotate_at).min()
    }

    /// A random path of `category` that does not contain `destination` (by key, nor by /24
    /// with subnet diversity).
    pub fn choose<R: CryptoRng + ?Sized>(
        &self,
        category: Category,
        destination: Option<&ServiceNode>,
        rng: &mut R,
    ) -> Option<&Path> {
        let fits = |p: &&Path| {
            p.category == category
                && destination.is_none_or(|d| {
                    let same_subnet = self.config.subnet_diversity
                        && p.nodes.iter().any(|n| n.subnet24() == d.subnet24());
                    !(p.contains(&d.ed25519) || same_subnet)
                })
        };
        let candidates: Vec<&Path> = self.paths.iter().filter(fits).collect();
        candidates
            .get(random::index(rng, candidates.len()))
            .copied()
    }

    /// Records one failure against path `id`. At the threshold the path is retired and each of
    /// its nodes not in `already_penalized` takes one strike. Whether it was retired.
    pub fn record_failure(
        &mut self,
        id: PathId,
        already_penalized: &[Ed25519PublicKey],
        pool: &mut NodePool,
        now: Timestamp,
    ) -> bool {
        let threshold = self.config.path_strike_threshold;
        let Some(path) = self.paths.iter_mut().find(|p| p.id == id) else {
            return false;
        };
        if path.strikes < threshold {
            path.strikes += 1;
        }
        if path.strikes < threshold {
            return false;
        }
        self.retire(id, already_penalized, pool, now);
        true
    }

    fn retire(
        &mut self,
        id: PathId,
        already_penalized: &[Ed25519PublicKey],
        pool: &mut NodePool,
        now: Timestamp,
    ) {
        if let Some(at) = self.paths.iter().position(|p| p.id == id) {
            let path = self.paths.remove(at);
            for node in path
                .nodes
                .iter()
                .filter(|n| !already_penalized.contains(&n.ed25519))
            {
                pool.record_failure(node.ed25519, now, false);
            }
        }
    }

    /// Replaces every struck-out node on a live path with an unused node. A struck-out guard,
    /// or a node with no replacement, retires its path (which strikes its other nodes once).
    /// The ids of retired paths.
    pub fn repair<R: CryptoRng + ?Sized>(
        &mut self,
        pool: &mut NodePool,
        now: Timestamp,
        rng: &mut R,
    ) -> Vec<PathId> {
        let mut retired = Vec::new();
        let ids: Vec<PathId> = self.paths.iter().map(|p| p.id).collect();
        for id in ids {
            let Some(path) = self.get(id) else { continue };
            let bad: Vec<(usize, Ed25519PublicKey)> = path
                .nodes
                .iter()
                .enumerate()
                .filter(|(_, n)| pool.is_struck_out(&n.ed25519, now))
                .map(|(i, n)| (i, n.ed25519))
                .collect();
            if bad.is_empty() {
                continue;
            }
            let penalized: Vec<Ed25519PublicKey> = bad.iter().map(|(_, k)| *k).collect();
            if bad.iter().any(|(i, _)| *i == 0) {
                self.retire(id, &penalized, pool, now);
                retired.push(id);
                continue;
            }
            for (i, _) in bad {
                // The replacement must avoid every node (and /24) in use, except the node it
                // replaces.
                let mut exclude = self.in_use();
                if let Some(old) = self.get(id).and_then(|p| p.nodes.get(i)) {
                    exclude.retain(|n| n.ed25519 != old.ed25519);
                }
                let replacement = pool.unused_nodes(1, &exclude, now, rng);
                let slot = self
                    .paths
                    .iter_mut()
                    .find(|p| p.id == id)
                    .and_then(|p| p.nodes.get_mut(i));
                match (replacement.first(), slot) {
                    (Some(new), Some(slot)) => *slot = *new,
                    _ => {
                        self.retire(id, &penalized, pool, now);
                        retired.push(id);
                        break;
                    }
                }
            }
        }
        retired
    }
}
