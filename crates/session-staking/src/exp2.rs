//! oxend's own `exp2`, a port of gnulib's: the staking requirement before HF13 and the block
//! reward before HF15 divide by it, so its last bit is consensus.
//!
//! oxend does not call the platform libm (whose `exp2` differs between C libraries in the last
//! ulp); it carries gnulib's algorithm, reimplemented here from its description: split
//! `x = n + m/256 + y/ln 2`, take `2^(m/256)` from a table of correctly rounded doubles,
//! `e^y` from a tanh series (`(1 + tanh z)/(1 - tanh z)` with `z = y/2`), then double `n` times.
//! All arithmetic is IEEE binary64 with round-to-nearest, which is what Rust's `f64` does
//! (no fused multiply-add is formed implicitly).

/// `ln(2)/256`, the double nearest to it.
const LOG2_BY_256: f64 = 0.002_707_606_174_062_286_3;
/// tanh series coefficients -1/3 and 2/15 (correctly rounded divisions give the same doubles
/// as gnulib's 40-digit literals).
const TANH_COEFF_3: f64 = -1.0 / 3.0;
const TANH_COEFF_5: f64 = 2.0 / 15.0;
/// Beyond this, 2^x overflows (`DBL_MAX_EXP`).
const MAX_EXP: f64 = 1024.0;
/// Below this, 2^x underflows to zero (`DBL_MIN_EXP - 1 - DBL_MANT_DIG`).
const MIN_EXP: f64 = -1022.0 - 1.0 - 53.0;
/// 2^52: from here on every double is an integer.
const TWO_POW_52: f64 = 4_503_599_627_370_496.0;

/// `2^((i - 128)/256)` for `i` in `0..=256`, correctly rounded to double (computed with
/// 80-digit decimal arithmetic; they equal gnulib's table bit for bit).
#[rustfmt::skip]
static EXP_TABLE: [f64; 257] = [
    f64::from_bits(0x3fe6a09e667f3bcd), // 2^(-128/256)
    f64::from_bits(0x3fe6b052fa75173e), // 2^(-127/256)
    f64::from_bits(0x3fe6c012750bdabf), // 2^(-126/256)
    f64::from_bits(0x3fe6cfdcddd47645), // 2^(-125/256)
    f64::from_bits(0x3fe6dfb23c651a2f), // 2^(-124/256)
    f64::from_bits(0x3fe6ef9298593ae5), // 2^(-123/256)
    f64::from_bits(0x3fe6ff7df9519484), // 2^(-122/256)
    f64::from_bits(0x3fe70f7466f42e87), // 2^(-121/256)
    f64::from_bits(0x3fe71f75e8ec5f74), // 2^(-120/256)
    f64::from_bits(0x3fe72f8286ead08a), // 2^(-119/256)
    f64::from_bits(0x3fe73f9a48a58174), // 2^(-118/256)
    f64::from_bits(0x3fe74fbd35d7cbfd), // 2^(-117/256)
    f64::from_bits(0x3fe75feb564267c9), // 2^(-116/256)
    f64::from_bits(0x3fe77024b1ab6e09), // 2^(-115/256)
    f64::from_bits(0x3fe780694fde5d3f), // 2^(-114/256)
    f64::from_bits(0x3fe790b938ac1cf6), // 2^(-113/256)
    f64::from_bits(0x3fe7a11473eb0187), // 2^(-112/256)
    f64::from_bits(0x3fe7b17b0976cfdb), // 2^(-111/256)
    f64::from_bits(0x3fe7c1ed0130c132), // 2^(-110/256)
    f64::from_bits(0x3fe7d26a62ff86f0), // 2^(-109/256)
    f64::from_bits(0x3fe7e2f336cf4e62), // 2^(-108/256)
    f64::from_bits(0x3fe7f3878491c491), // 2^(-107/256)
    f64::from_bits(0x3fe80427543e1a12), // 2^(-106/256)
    f64::from_bits(0x3fe814d2add106d9), // 2^(-105/256)
    f64::from_bits(0x3fe82589994cce13), // 2^(-104/256)
    f64::from_bits(0x3fe8364c1eb941f7), // 2^(-103/256)
    f64::from_bits(0x3fe8471a4623c7ad), // 2^(-102/256)
    f64::from_bits(0x3fe857f4179f5b21), // 2^(-101/256)
    f64::from_bits(0x3fe868d99b4492ed), // 2^(-100/256)
    f64::from_bits(0x3fe879cad931a436), // 2^(-99/256)
    f64::from_bits(0x3fe88ac7d98a6699), // 2^(-98/256)
    f64::from_bits(0x3fe89bd0a478580f), // 2^(-97/256)
    f64::from_bits(0x3fe8ace5422aa0db), // 2^(-96/256)
    f64::from_bits(0x3fe8be05bad61778), // 2^(-95/256)
    f64::from_bits(0x3fe8cf3216b5448c), // 2^(-94/256)
    f64::from_bits(0x3fe8e06a5e0866d9), // 2^(-93/256)
    f64::from_bits(0x3fe8f1ae99157736), // 2^(-92/256)
    f64::from_bits(0x3fe902fed0282c8a), // 2^(-91/256)
    f64::from_bits(0x3fe9145b0b91ffc6), // 2^(-90/256)
    f64::from_bits(0x3fe925c353aa2fe2), // 2^(-89/256)
    f64::from_bits(0x3fe93737b0cdc5e5), // 2^(-88/256)
    f64::from_bits(0x3fe948b82b5f98e5), // 2^(-87/256)
    f64::from_bits(0x3fe95a44cbc8520f), // 2^(-86/256)
    f64::from_bits(0x3fe96bdd9a7670b3), // 2^(-85/256)
    f64::from_bits(0x3fe97d829fde4e50), // 2^(-84/256)
    f64::from_bits(0x3fe98f33e47a22a2), // 2^(-83/256)
    f64::from_bits(0x3fe9a0f170ca07ba), // 2^(-82/256)
    f64::from_bits(0x3fe9b2bb4d53fe0d), // 2^(-81/256)
    f64::from_bits(0x3fe9c49182a3f090), // 2^(-80/256)
    f64::from_bits(0x3fe9d674194bb8d5), // 2^(-79/256)
    f64::from_bits(0x3fe9e86319e32323), // 2^(-78/256)
    f64::from_bits(0x3fe9fa5e8d07f29e), // 2^(-77/256)
    f64::from_bits(0x3fea0c667b5de565), // 2^(-76/256)
    f64::from_bits(0x3fea1e7aed8eb8bb), // 2^(-75/256)
    f64::from_bits(0x3fea309bec4a2d33), // 2^(-74/256)
    f64::from_bits(0x3fea42c980460ad8), // 2^(-73/256)
    f64::from_bits(0x3fea5503b23e255d), // 2^(-72/256)
    f64::from_bits(0x3fea674a8af46052), // 2^(-71/256)
    f64::from_bits(0x3fea799e1330b358), // 2^(-70/256)
    f64::from_bits(0x3fea8bfe53c12e59), // 2^(-69/256)
    f64::from_bits(0x3fea9e6b5579fdbf), // 2^(-68/256)
    f64::from_bits(0x3feab0e521356eba), // 2^(-67/256)
    f64::from_bits(0x3feac36bbfd3f37a), // 2^(-66/256)
    f64::from_bits(0x3fead5ff3a3c2774), // 2^(-65/256)
    f64::from_bits(0x3feae89f995ad3ad), // 2^(-64/256)
    f64::from_bits(0x3feafb4ce622f2ff), // 2^(-63/256)
    f64::from_bits(0x3feb0e07298db666), // 2^(-62/256)
    f64::from_bits(0x3feb20ce6c9a8952), // 2^(-61/256)
    f64::from_bits(0x3feb33a2b84f15fb), // 2^(-60/256)
    f64::from_bits(0x3feb468415b749b1), // 2^(-59/256)
    f64::from_bits(0x3feb59728de5593a), // 2^(-58/256)
    f64::from_bits(0x3feb6c6e29f1c52a), // 2^(-57/256)
    f64::from_bits(0x3feb7f76f2fb5e47), // 2^(-56/256)
    f64::from_bits(0x3feb928cf22749e4), // 2^(-55/256)
    f64::from_bits(0x3feba5b030a1064a), // 2^(-54/256)
    f64::from_bits(0x3febb8e0b79a6f1f), // 2^(-53/256)
    f64::from_bits(0x3febcc1e904bc1d2), // 2^(-52/256)
    f64::from_bits(0x3febdf69c3f3a207), // 2^(-51/256)
    f64::from_bits(0x3febf2c25bd71e09), // 2^(-50/256)
    f64::from_bits(0x3fec06286141b33d), // 2^(-49/256)
    f64::from_bits(0x3fec199bdd85529c), // 2^(-48/256)
    f64::from_bits(0x3fec2d1cd9fa652c), // 2^(-47/256)
    f64::from_bits(0x3fec40ab5fffd07a), // 2^(-46/256)
    f64::from_bits(0x3fec544778fafb22), // 2^(-45/256)
    f64::from_bits(0x3fec67f12e57d14b), // 2^(-44/256)
    f64::from_bits(0x3fec7ba88988c933), // 2^(-43/256)
    f64::from_bits(0x3fec8f6d9406e7b5), // 2^(-42/256)
    f64::from_bits(0x3feca3405751c4db), // 2^(-41/256)
    f64::from_bits(0x3fecb720dcef9069), // 2^(-40/256)
    f64::from_bits(0x3feccb0f2e6d1675), // 2^(-39/256)
    f64::from_bits(0x3fecdf0b555dc3fa), // 2^(-38/256)
    f64::from_bits(0x3fecf3155b5bab74), // 2^(-37/256)
    f64::from_bits(0x3fed072d4a07897c), // 2^(-36/256)
    f64::from_bits(0x3fed1b532b08c968), // 2^(-35/256)
    f64::from_bits(0x3fed2f87080d89f2), // 2^(-34/256)
    f64::from_bits(0x3fed43c8eacaa1d6), // 2^(-33/256)
    f64::from_bits(0x3fed5818dcfba487), // 2^(-32/256)
    f64::from_bits(0x3fed6c76e862e6d3), // 2^(-31/256)
    f64::from_bits(0x3fed80e316c98398), // 2^(-30/256)
    f64::from_bits(0x3fed955d71ff6075), // 2^(-29/256)
    f64::from_bits(0x3feda9e603db3285), // 2^(-28/256)
    f64::from_bits(0x3fedbe7cd63a8315), // 2^(-27/256)
    f64::from_bits(0x3fedd321f301b460), // 2^(-26/256)
    f64::from_bits(0x3fede7d5641c0658), // 2^(-25/256)
    f64::from_bits(0x3fedfc97337b9b5f), // 2^(-24/256)
    f64::from_bits(0x3fee11676b197d17), // 2^(-23/256)
    f64::from_bits(0x3fee264614f5a129), // 2^(-22/256)
    f64::from_bits(0x3fee3b333b16ee12), // 2^(-21/256)
    f64::from_bits(0x3fee502ee78b3ff6), // 2^(-20/256)
    f64::from_bits(0x3fee653924676d76), // 2^(-19/256)
    f64::from_bits(0x3fee7a51fbc74c83), // 2^(-18/256)
    f64::from_bits(0x3fee8f7977cdb740), // 2^(-17/256)
    f64::from_bits(0x3feea4afa2a490da), // 2^(-16/256)
    f64::from_bits(0x3feeb9f4867cca6e), // 2^(-15/256)
    f64::from_bits(0x3feecf482d8e67f1), // 2^(-14/256)
    f64::from_bits(0x3feee4aaa2188510), // 2^(-13/256)
    f64::from_bits(0x3feefa1bee615a27), // 2^(-12/256)
    f64::from_bits(0x3fef0f9c1cb6412a), // 2^(-11/256)
    f64::from_bits(0x3fef252b376bba97), // 2^(-10/256)
    f64::from_bits(0x3fef3ac948dd7274), // 2^(-9/256)
    f64::from_bits(0x3fef50765b6e4540), // 2^(-8/256)
    f64::from_bits(0x3fef6632798844f8), // 2^(-7/256)
    f64::from_bits(0x3fef7bfdad9cbe14), // 2^(-6/256)
    f64::from_bits(0x3fef91d802243c89), // 2^(-5/256)
    f64::from_bits(0x3fefa7c1819e90d8), // 2^(-4/256)
    f64::from_bits(0x3fefbdba3692d514), // 2^(-3/256)
    f64::from_bits(0x3fefd3c22b8f71f1), // 2^(-2/256)
    f64::from_bits(0x3fefe9d96b2a23d9), // 2^(-1/256)
    f64::from_bits(0x3ff0000000000000), // 2^(0/256)
    f64::from_bits(0x3ff00b1afa5abcbf), // 2^(1/256)
    f64::from_bits(0x3ff0163da9fb3335), // 2^(2/256)
    f64::from_bits(0x3ff02168143b0281), // 2^(3/256)
    f64::from_bits(0x3ff02c9a3e778061), // 2^(4/256)
    f64::from_bits(0x3ff037d42e11bbcc), // 2^(5/256)
    f64::from_bits(0x3ff04315e86e7f85), // 2^(6/256)
    f64::from_bits(0x3ff04e5f72f654b1), // 2^(7/256)
    f64::from_bits(0x3ff059b0d3158574), // 2^(8/256)
    f64::from_bits(0x3ff0650a0e3c1f89), // 2^(9/256)
    f64::from_bits(0x3ff0706b29ddf6de), // 2^(10/256)
    f64::from_bits(0x3ff07bd42b72a836), // 2^(11/256)
    f64::from_bits(0x3ff0874518759bc8), // 2^(12/256)
    f64::from_bits(0x3ff092bdf66607e0), // 2^(13/256)
    f64::from_bits(0x3ff09e3ecac6f383), // 2^(14/256)
    f64::from_bits(0x3ff0a9c79b1f3919), // 2^(15/256)
    f64::from_bits(0x3ff0b5586cf9890f), // 2^(16/256)
    f64::from_bits(0x3ff0c0f145e46c85), // 2^(17/256)
    f64::from_bits(0x3ff0cc922b7247f7), // 2^(18/256)
    f64::from_bits(0x3ff0d83b23395dec), // 2^(19/256)
    f64::from_bits(0x3ff0e3ec32d3d1a2), // 2^(20/256)
    f64::from_bits(0x3ff0efa55fdfa9c5), // 2^(21/256)
    f64::from_bits(0x3ff0fb66affed31b), // 2^(22/256)
    f64::from_bits(0x3ff1073028d7233e), // 2^(23/256)
    f64::from_bits(0x3ff11301d0125b51), // 2^(24/256)
    f64::from_bits(0x3ff11edbab5e2ab6), // 2^(25/256)
    f64::from_bits(0x3ff12abdc06c31cc), // 2^(26/256)
    f64::from_bits(0x3ff136a814f204ab), // 2^(27/256)
    f64::from_bits(0x3ff1429aaea92de0), // 2^(28/256)
    f64::from_bits(0x3ff14e95934f312e), // 2^(29/256)
    f64::from_bits(0x3ff15a98c8a58e51), // 2^(30/256)
    f64::from_bits(0x3ff166a45471c3c2), // 2^(31/256)
    f64::from_bits(0x3ff172b83c7d517b), // 2^(32/256)
    f64::from_bits(0x3ff17ed48695bbc0), // 2^(33/256)
    f64::from_bits(0x3ff18af9388c8dea), // 2^(34/256)
    f64::from_bits(0x3ff1972658375d2f), // 2^(35/256)
    f64::from_bits(0x3ff1a35beb6fcb75), // 2^(36/256)
    f64::from_bits(0x3ff1af99f8138a1c), // 2^(37/256)
    f64::from_bits(0x3ff1bbe084045cd4), // 2^(38/256)
    f64::from_bits(0x3ff1c82f95281c6b), // 2^(39/256)
    f64::from_bits(0x3ff1d4873168b9aa), // 2^(40/256)
    f64::from_bits(0x3ff1e0e75eb44027), // 2^(41/256)
    f64::from_bits(0x3ff1ed5022fcd91d), // 2^(42/256)
    f64::from_bits(0x3ff1f9c18438ce4d), // 2^(43/256)
    f64::from_bits(0x3ff2063b88628cd6), // 2^(44/256)
    f64::from_bits(0x3ff212be3578a819), // 2^(45/256)
    f64::from_bits(0x3ff21f49917ddc96), // 2^(46/256)
    f64::from_bits(0x3ff22bdda27912d1), // 2^(47/256)
    f64::from_bits(0x3ff2387a6e756238), // 2^(48/256)
    f64::from_bits(0x3ff2451ffb82140a), // 2^(49/256)
    f64::from_bits(0x3ff251ce4fb2a63f), // 2^(50/256)
    f64::from_bits(0x3ff25e85711ece75), // 2^(51/256)
    f64::from_bits(0x3ff26b4565e27cdd), // 2^(52/256)
    f64::from_bits(0x3ff2780e341ddf29), // 2^(53/256)
    f64::from_bits(0x3ff284dfe1f56381), // 2^(54/256)
    f64::from_bits(0x3ff291ba7591bb70), // 2^(55/256)
    f64::from_bits(0x3ff29e9df51fdee1), // 2^(56/256)
    f64::from_bits(0x3ff2ab8a66d10f13), // 2^(57/256)
    f64::from_bits(0x3ff2b87fd0dad990), // 2^(58/256)
    f64::from_bits(0x3ff2c57e39771b2f), // 2^(59/256)
    f64::from_bits(0x3ff2d285a6e4030b), // 2^(60/256)
    f64::from_bits(0x3ff2df961f641589), // 2^(61/256)
    f64::from_bits(0x3ff2ecafa93e2f56), // 2^(62/256)
    f64::from_bits(0x3ff2f9d24abd886b), // 2^(63/256)
    f64::from_bits(0x3ff306fe0a31b715), // 2^(64/256)
    f64::from_bits(0x3ff31432edeeb2fd), // 2^(65/256)
    f64::from_bits(0x3ff32170fc4cd831), // 2^(66/256)
    f64::from_bits(0x3ff32eb83ba8ea32), // 2^(67/256)
    f64::from_bits(0x3ff33c08b26416ff), // 2^(68/256)
    f64::from_bits(0x3ff3496266e3fa2d), // 2^(69/256)
    f64::from_bits(0x3ff356c55f929ff1), // 2^(70/256)
    f64::from_bits(0x3ff36431a2de883b), // 2^(71/256)
    f64::from_bits(0x3ff371a7373aa9cb), // 2^(72/256)
    f64::from_bits(0x3ff37f26231e754a), // 2^(73/256)
    f64::from_bits(0x3ff38cae6d05d866), // 2^(74/256)
    f64::from_bits(0x3ff39a401b7140ef), // 2^(75/256)
    f64::from_bits(0x3ff3a7db34e59ff7), // 2^(76/256)
    f64::from_bits(0x3ff3b57fbfec6cf4), // 2^(77/256)
    f64::from_bits(0x3ff3c32dc313a8e5), // 2^(78/256)
    f64::from_bits(0x3ff3d0e544ede173), // 2^(79/256)
    f64::from_bits(0x3ff3dea64c123422), // 2^(80/256)
    f64::from_bits(0x3ff3ec70df1c5175), // 2^(81/256)
    f64::from_bits(0x3ff3fa4504ac801c), // 2^(82/256)
    f64::from_bits(0x3ff40822c367a024), // 2^(83/256)
    f64::from_bits(0x3ff4160a21f72e2a), // 2^(84/256)
    f64::from_bits(0x3ff423fb2709468a), // 2^(85/256)
    f64::from_bits(0x3ff431f5d950a897), // 2^(86/256)
    f64::from_bits(0x3ff43ffa3f84b9d4), // 2^(87/256)
    f64::from_bits(0x3ff44e086061892d), // 2^(88/256)
    f64::from_bits(0x3ff45c2042a7d232), // 2^(89/256)
    f64::from_bits(0x3ff46a41ed1d0057), // 2^(90/256)
    f64::from_bits(0x3ff4786d668b3237), // 2^(91/256)
    f64::from_bits(0x3ff486a2b5c13cd0), // 2^(92/256)
    f64::from_bits(0x3ff494e1e192aed2), // 2^(93/256)
    f64::from_bits(0x3ff4a32af0d7d3de), // 2^(94/256)
    f64::from_bits(0x3ff4b17dea6db7d7), // 2^(95/256)
    f64::from_bits(0x3ff4bfdad5362a27), // 2^(96/256)
    f64::from_bits(0x3ff4ce41b817c114), // 2^(97/256)
    f64::from_bits(0x3ff4dcb299fddd0d), // 2^(98/256)
    f64::from_bits(0x3ff4eb2d81d8abff), // 2^(99/256)
    f64::from_bits(0x3ff4f9b2769d2ca7), // 2^(100/256)
    f64::from_bits(0x3ff508417f4531ee), // 2^(101/256)
    f64::from_bits(0x3ff516daa2cf6642), // 2^(102/256)
    f64::from_bits(0x3ff5257de83f4eef), // 2^(103/256)
    f64::from_bits(0x3ff5342b569d4f82), // 2^(104/256)
    f64::from_bits(0x3ff542e2f4f6ad27), // 2^(105/256)
    f64::from_bits(0x3ff551a4ca5d920f), // 2^(106/256)
    f64::from_bits(0x3ff56070dde910d2), // 2^(107/256)
    f64::from_bits(0x3ff56f4736b527da), // 2^(108/256)
    f64::from_bits(0x3ff57e27dbe2c4cf), // 2^(109/256)
    f64::from_bits(0x3ff58d12d497c7fd), // 2^(110/256)
    f64::from_bits(0x3ff59c0827ff07cc), // 2^(111/256)
    f64::from_bits(0x3ff5ab07dd485429), // 2^(112/256)
    f64::from_bits(0x3ff5ba11fba87a03), // 2^(113/256)
    f64::from_bits(0x3ff5c9268a5946b7), // 2^(114/256)
    f64::from_bits(0x3ff5d84590998b93), // 2^(115/256)
    f64::from_bits(0x3ff5e76f15ad2148), // 2^(116/256)
    f64::from_bits(0x3ff5f6a320dceb71), // 2^(117/256)
    f64::from_bits(0x3ff605e1b976dc09), // 2^(118/256)
    f64::from_bits(0x3ff6152ae6cdf6f4), // 2^(119/256)
    f64::from_bits(0x3ff6247eb03a5585), // 2^(120/256)
    f64::from_bits(0x3ff633dd1d1929fd), // 2^(121/256)
    f64::from_bits(0x3ff6434634ccc320), // 2^(122/256)
    f64::from_bits(0x3ff652b9febc8fb7), // 2^(123/256)
    f64::from_bits(0x3ff6623882552225), // 2^(124/256)
    f64::from_bits(0x3ff671c1c70833f6), // 2^(125/256)
    f64::from_bits(0x3ff68155d44ca973), // 2^(126/256)
    f64::from_bits(0x3ff690f4b19e9538), // 2^(127/256)
    f64::from_bits(0x3ff6a09e667f3bcd), // 2^(128/256)
];

/// Round to the nearest integer, ties away from zero (C's `round`), without libm.
///
/// Exact for every finite double: `trunc` via an integer conversion is exact below 2^52,
/// and above it every double is already an integer.
pub(crate) fn round_half_away(x: f64) -> f64 {
    let magnitude = if x < 0.0 { -x } else { x };
    if magnitude.is_nan() || magnitude >= TWO_POW_52 {
        return x;
    }
    // magnitude < 2^52 fits u64 exactly; the subtraction is exact (Sterbenz).
    let whole = magnitude as u64 as f64;
    let rounded = if magnitude - whole >= 0.5 {
        whole + 1.0
    } else {
        whole
    };
    if x < 0.0 { -rounded } else { rounded }
}

/// `2^x` exactly as oxend computes it (`oxen::exp2`).
///
/// Valid for every `x >= 0` (the only range oxend uses; the final doubling loop assumes a
/// non-negative exponent). Negative `x` is answered by the platform-independent identity
/// `1 / 2^-x`, which is not what oxend would compute but is never needed by consensus.
///
/// ```
/// use session_staking::exp2::exp2;
/// assert_eq!(exp2(0.0), 1.0);
/// assert_eq!(exp2(10.0), 1024.0);
/// assert_eq!(exp2(0.5), core::f64::consts::SQRT_2);
/// ```
#[must_use]
pub fn exp2(x: f64) -> f64 {
    if x.is_nan() {
        return x;
    }
    if x > MAX_EXP {
        return f64::INFINITY;
    }
    if x < MIN_EXP {
        return 0.0;
    }
    if x < 0.0 {
        return 1.0 / exp2(-x);
    }
    let nm = round_half_away(x * 256.0); // 256·n + m
    let z = (x * 256.0 - nm) * (LOG2_BY_256 * 0.5);
    let z2 = z * z;
    let tanh_z = ((TANH_COEFF_5 * z2 + TANH_COEFF_3) * z2 + 1.0) * z;
    let exp_y = (1.0 + tanh_z) / (1.0 - tanh_z);
    // 0 <= nm <= 262144, so both conversions are exact.
    let n = round_half_away(nm * (1.0 / 256.0)) as i64;
    let m = nm as i64 - 256 * n; // -128..=128
    let index = usize::try_from(128 + m).unwrap_or(128);
    let mut ret = EXP_TABLE.get(index).copied().unwrap_or(1.0) * exp_y;
    for _ in 0..n {
        ret *= 2.0;
    }
    ret
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounding_ties_away_from_zero() {
        assert_eq!(round_half_away(0.5), 1.0);
        assert_eq!(round_half_away(1.5), 2.0);
        assert_eq!(round_half_away(2.5), 3.0);
        assert_eq!(round_half_away(-2.5), -3.0);
        assert_eq!(round_half_away(2.499_999_999_999_999_6), 2.0);
        assert_eq!(round_half_away(1e300), 1e300);
        assert_eq!(round_half_away(0.0), 0.0);
    }

    #[test]
    fn table_is_powers_of_two() {
        assert_eq!(EXP_TABLE[128], 1.0);
        assert_eq!(EXP_TABLE[0], core::f64::consts::FRAC_1_SQRT_2);
        assert_eq!(EXP_TABLE[256], core::f64::consts::SQRT_2);
        assert!(EXP_TABLE.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn integers_are_exact() {
        for k in 0..=1023 {
            assert_eq!(
                exp2(f64::from(k)),
                f64::from_bits(((1023 + k) as u64) << 52)
            );
        }
        assert_eq!(exp2(1025.0), f64::INFINITY);
        assert_eq!(exp2(-2000.0), 0.0);
        assert_eq!(exp2(-1.0), 0.5);
        assert!(exp2(f64::NAN).is_nan());
    }

    #[cfg(feature = "std")]
    #[test]
    fn close_to_libm() {
        for i in 0..20_000u32 {
            let x = f64::from(i) / 997.0;
            let ours = exp2(x);
            let libm = x.exp2();
            assert!((ours - libm).abs() <= libm * 4.0 * f64::EPSILON, "x = {x}");
        }
    }
}
