//! Staking: the requirement to register a service node, and the registration checks.

use core::str::FromStr;

use session_core::{Ed25519PublicKey, Ed25519Signature, Network};
use session_staking::bls::BlsPublicKey;
use session_staking::{HardFork, hard_fork_at};

use crate::error::{Error, ErrorCode, Result, with_code};

fn network(name: &str) -> Result<Network> {
    Network::from_str(name.trim()).map_err(with_code(ErrorCode::InvalidArgument))
}

fn array<const N: usize>(bytes: &[u8], what: &str, code: ErrorCode) -> Result<[u8; N]> {
    bytes
        .try_into()
        .map_err(|_| Error::new(code, format!("{what} has {N} bytes, not {}", bytes.len())))
}

fn hard_fork(network: Network, height: u64) -> HardFork {
    hard_fork_at(network, height)
}

/// The staking requirement, in atomic units, to register a node at block `height` of
/// `network` (`mainnet`, `testnet`, `devnet`, `stagenet` or `localdev`).
pub fn staking_requirement(network_name: &str, height: u64) -> Result<u64> {
    Ok(session_staking::staking_requirement(
        network(network_name)?,
        height,
    ))
}

/// Checks the reserved stakes (atomic units, operator first) of a registration at `height`
/// on `network` against the consensus rules: the hard fork's contributor limit, the operator's
/// minimum, each contributor's minimum and the total against the staking requirement at that
/// height. The error names the rule broken.
pub fn check_registration_stakes(network_name: &str, height: u64, stakes: &[u64]) -> Result<()> {
    let network = network(network_name)?;
    let requirement = session_staking::staking_requirement(network, height);
    session_staking::check_stakes(hard_fork(network, height), requirement, stakes)
        .map_err(with_code(ErrorCode::Staking))
}

/// Verifies the Ed25519 signature of a registration made through the staking contract (from
/// the hard fork the network reaches at `height`): `signature` by `ed25519_public` over the
/// node's Ed25519 and BLS (64 bytes) public keys.
///
/// A BLS key that is not a valid point (the all-zero key, a coordinate not below the field
/// modulus, a point off the curve) is refused as a key error before the signature is checked.
pub fn verify_ethereum_registration(
    network_name: &str,
    height: u64,
    ed25519_public: &[u8],
    bls_public: &[u8],
    signature: &[u8],
) -> Result<()> {
    let network = network(network_name)?;
    let ed25519 = array::<32>(ed25519_public, "an Ed25519 public key", ErrorCode::Key)?;
    let bls = array::<64>(bls_public, "a BLS public key", ErrorCode::Key)?;
    let bls = BlsPublicKey::from_bytes(&bls).map_err(with_code(ErrorCode::Key))?;
    let signature = array::<64>(signature, "a signature", ErrorCode::InvalidArgument)?;
    session_staking::verify_ethereum_registration(
        &Ed25519PublicKey::from_bytes(ed25519),
        &bls,
        &Ed25519Signature::from_bytes(signature),
        hard_fork(network, height),
    )
    .map_err(with_code(ErrorCode::Staking))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requirement_and_stakes() {
        let height = 2_000_000;
        let requirement = staking_requirement("mainnet", height).unwrap();
        assert!(requirement > 0);
        // Before HF19, registrations reserve portions, not amounts: the rule is named.
        let e = check_registration_stakes("mainnet", 100, &[1]).unwrap_err();
        assert_eq!(e.code(), ErrorCode::Staking);
        assert_eq!(
            staking_requirement("moonnet", 1).unwrap_err().code(),
            ErrorCode::InvalidArgument
        );
    }
}

#[cfg(test)]
mod rule_tests {
    use super::*;
    use crate::Identity;
    use session_staking::bls::PointError as BlsError;

    fn height(network: Network, hf: HardFork) -> u64 {
        session_staking::hardfork::hard_fork_height(network, hf).unwrap()
    }

    #[test]
    fn stakes_at_hf19() {
        let h = height(Network::Mainnet, HardFork::Hf19);
        let requirement = staking_requirement("mainnet", h).unwrap();
        check_registration_stakes("mainnet", h, &[requirement]).unwrap();
        let e = check_registration_stakes("mainnet", h, &[requirement / 10]).unwrap_err();
        assert_eq!(e.code(), ErrorCode::Staking);
        assert!(!e.message().is_empty());
    }

    /// A network that has scheduled the hard fork of contract registrations, and its height.
    fn hf21() -> (&'static str, u64) {
        Network::ALL
            .into_iter()
            .find_map(|n| {
                session_staking::hardfork::hard_fork_height(n, HardFork::Hf21)
                    .map(|h| (n.name(), h))
            })
            .unwrap()
    }

    #[test]
    fn ethereum_registration_signature() {
        let (network, h) = hf21();
        let node = Identity::from_seed(&[3; 32]).unwrap();
        let bls = session_staking::bls::BlsSecretKey::from_bytes(&[9; 32])
            .public_key()
            .to_bytes();
        let mut signed = node.ed25519_public().to_vec();
        signed.extend_from_slice(&bls);
        let signature = node.sign(&signed);
        let ed = node.ed25519_public();
        verify_ethereum_registration(network, h, &ed, &bls, &signature).unwrap();
        let mut forged = signature;
        forged[0] ^= 1;
        let e = verify_ethereum_registration(network, h, &ed, &bls, &forged).unwrap_err();
        assert_eq!(e.code(), ErrorCode::Staking);
        let early = verify_ethereum_registration(network, 1, &ed, &bls, &signature);
        assert_eq!(early.unwrap_err().code(), ErrorCode::Staking);
        let short = verify_ethereum_registration(network, h, &ed, &bls[..10], &signature);
        assert_eq!(short.unwrap_err().code(), ErrorCode::Key);
    }

    #[test]
    fn ethereum_registration_refuses_invalid_bls_keys() {
        let (network, h) = hf21();
        let node = Identity::from_seed(&[3; 32]).unwrap();
        let ed = node.ed25519_public();
        let mut off_curve = [0u8; 64];
        off_curve[31] = 1;
        off_curve[63] = 1;
        let not_canonical = [0xff; 64];
        let cases: [([u8; 64], BlsError); 3] = [
            ([0; 64], BlsError::ZeroPublicKey),
            (off_curve, BlsError::NotOnCurve { what: "public key" }),
            (
                not_canonical,
                BlsError::NonCanonical {
                    what: "public key",
                    coordinate: "X",
                },
            ),
        ];
        for (bls, rejected) in cases {
            let mut signed = ed.to_vec();
            signed.extend_from_slice(&bls);
            let signature = node.sign(&signed);
            let e = verify_ethereum_registration(network, h, &ed, &bls, &signature).unwrap_err();
            assert_eq!(e.code(), ErrorCode::Key);
            assert_eq!(e.message(), rejected.to_string());
        }
    }
}
