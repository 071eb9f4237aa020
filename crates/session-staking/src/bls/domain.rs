//! Domain separation: every signed message and the hash to G2 are bound to one chain and one
//! rewards contract.

use core::fmt;

use sha3::{Digest, Keccak256};

/// A 20-byte Ethereum address: a rewards contract, an operator, a reward recipient.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct EthAddress(pub [u8; 20]);

impl EthAddress {
    /// The raw bytes.
    #[must_use]
    pub const fn as_bytes(&self) -> &[u8; 20] {
        &self.0
    }
}

impl From<[u8; 20]> for EthAddress {
    fn from(bytes: [u8; 20]) -> Self {
        Self(bytes)
    }
}

impl fmt::Debug for EthAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EthAddress({self})")
    }
}

/// `0x` and 40 lower-case hex digits (no EIP-55 checksum casing).
impl fmt::Display for EthAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("0x")?;
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

/// The purpose a tag is made for; see [`Domain::tag`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TagKind {
    /// A node's proof that it holds its BLS secret key (registration, HF20 uptime proofs).
    ProofOfPossession,
    /// The network's signature over a reward balance.
    Reward,
    /// The network's signature allowing a node to leave.
    Exit,
    /// The network's signature allowing a node to be liquidated.
    Liquidate,
    /// The domain separation tag of the hash to G2 itself.
    HashToG2,
}

impl TagKind {
    /// The base string the contract hashes (`buildTag`).
    #[must_use]
    pub const fn base(self) -> &'static str {
        match self {
            Self::ProofOfPossession => "BLS_SIG_TRYANDINCREMENT_POP",
            Self::Reward => "BLS_SIG_TRYANDINCREMENT_REWARD",
            Self::Exit => "BLS_SIG_TRYANDINCREMENT_EXIT",
            Self::Liquidate => "BLS_SIG_TRYANDINCREMENT_LIQUIDATE",
            Self::HashToG2 => "BLS_SIG_HASH_TO_FIELD_TAG",
        }
    }
}

/// A chain and a rewards contract: what every BLS signature of the network is bound to.
///
/// ```
/// use session_staking::bls::{Domain, TagKind};
///
/// let tag = Domain::MAINNET.tag(TagKind::ProofOfPossession);
/// assert_eq!(tag[..4], [0xf8, 0x66, 0x6b, 0x8b]);
/// assert_ne!(tag, Domain::TESTNET.tag(TagKind::ProofOfPossession));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Domain {
    chain_id: u64,
    contract: EthAddress,
}

impl Domain {
    /// Arbitrum One (chain 42161) and the live rewards contract.
    pub const MAINNET: Self = Self::new(
        42161,
        [
            0xc2, 0xb9, 0xfc, 0x25, 0x1a, 0xc0, 0x68, 0x76, 0x3e, 0xbd, 0xfd, 0xec, 0xc7, 0x92,
            0xe3, 0x35, 0x2e, 0x35, 0x1c, 0x00,
        ],
    );

    /// Arbitrum Sepolia (chain 421614) and the testnet rewards contract.
    pub const TESTNET: Self = Self::new(
        421_614,
        [
            0x9d, 0x8a, 0xb0, 0x08, 0x80, 0xcb, 0xbd, 0xc2, 0xdc, 0xd2, 0x9c, 0x17, 0x97, 0x79,
            0x46, 0x9a, 0x82, 0xe7, 0xbe, 0x35,
        ],
    );

    /// The domain of a contract deployed at `contract` on chain `chain_id`.
    #[must_use]
    pub const fn new(chain_id: u64, contract: [u8; 20]) -> Self {
        Self {
            chain_id,
            contract: EthAddress(contract),
        }
    }

    /// The domain of HF20 uptime proofs: this chain with the zero contract address, which oxend
    /// passes when it signs and checks the proofs' BLS proof of possession.
    #[must_use]
    pub const fn for_uptime_proofs(&self) -> Self {
        Self::new(self.chain_id, [0; 20])
    }

    /// The chain id.
    #[must_use]
    pub const fn chain_id(&self) -> u64 {
        self.chain_id
    }

    /// The rewards contract's address.
    #[must_use]
    pub const fn contract(&self) -> EthAddress {
        self.contract
    }

    /// `keccak256(base ‖ uint256_be(chain_id) ‖ contract)`, the contract's `buildTag`.
    #[must_use]
    pub fn tag(&self, kind: TagKind) -> [u8; 32] {
        let mut chain = [0u8; 32];
        if let Some((_, low)) = chain.split_last_chunk_mut::<8>() {
            *low = self.chain_id.to_be_bytes();
        }
        Keccak256::new()
            .chain_update(kind.base().as_bytes())
            .chain_update(chain)
            .chain_update(self.contract.0)
            .finalize()
            .into()
    }
}
