//! Tour section: staking — the requirement on the whitepaper's date, and registrations
//! checked with the chain's own rules.

use session_core::Network;
use session_staking::{
    COIN, ContributorAddress, RegistrationTerms, Reservation, STAKING_PORTIONS, WHITEPAPER_HEIGHT,
    hard_fork_at, staking_requirement,
};

fn coins(atomic: u64) -> String {
    format!("{}.{:09}", atomic / COIN, atomic % COIN)
}

fn address(tag: u8) -> ContributorAddress {
    ContributorAddress {
        spend: [tag; 32],
        view: [tag ^ 0x55; 32],
    }
}

/// Prints the requirement in February 2020 and checks one good and one bad registration.
pub fn run() {
    println!("== 5. Staking: what it takes to run a service node");
    let height = WHITEPAPER_HEIGHT;
    let hf = hard_fork_at(Network::Mainnet, height);
    let requirement = staking_requirement(Network::Mainnet, height);
    println!(
        "   2020-02-10 is mainnet height ~{height} ({hf}): staking requirement {} LOKI",
        coins(requirement)
    );
    let first_below = (height..)
        .find(|&h| staking_requirement(Network::Mainnet, h) <= 18_550 * COIN)
        .unwrap();
    println!(
        "   (the whitepaper's \"about 18,550\" is reached at height {first_below}, ~2 days later)"
    );

    // A pre-HF19 registration: portions of the whole, expiring two weeks after signing.
    let block_time = 1_581_292_800;
    let s = STAKING_PORTIONS;
    let good = RegistrationTerms {
        reserved: vec![
            Reservation {
                address: address(1),
                amount: s / 2,
            },
            Reservation {
                address: address(2),
                amount: s / 4,
            },
            Reservation {
                address: address(3),
                amount: s / 4,
            },
        ],
        fee: s / 20,
        hf_or_expiration: block_time + 14 * 86_400,
    };
    good.validate(hf, requirement, block_time).unwrap();
    let reserved = good.reserved_amounts(requirement);
    println!(
        "   accepted: operator 50 % ({} LOKI), two contributors 25 % each, 5 % fee",
        coins(reserved[0])
    );

    // The third contributor asks for 10 %: with 75 % reserved by two slots, the remaining
    // 25 % must be shared by at most two more, so each needs at least 12.5 %.
    let bad = RegistrationTerms {
        reserved: vec![
            Reservation {
                address: address(1),
                amount: s / 2,
            },
            Reservation {
                address: address(2),
                amount: s / 4,
            },
            Reservation {
                address: address(3),
                amount: s / 10,
            },
        ],
        ..good
    };
    let error = bad.validate(hf, requirement, block_time).unwrap_err();
    println!("   rejected: {error}");
    println!("             (10 % asked; the open 25 % split over the 2 slots left is 12.5 %)");
}
