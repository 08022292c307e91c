/// The SHA-256 compression function in plain Swift (FIPS 180-4 section 6.2.2).
///
/// Fully unrolled so that the round constants are immediates and the
/// working variables stay in registers: instead of shifting a...h after every
/// round, each call to `round` names them rotated by one place. The message
/// schedule is a 16-word window, also in locals, so no array and no heap.
/// All additions wrap (`&+`), as the standard's arithmetic is modulo 2^32.
extension SHA256 {
    static func compressPortable(_ state: inout State, blocks: UnsafeRawPointer, count: Int) {
        var h0 = state.0, h1 = state.1, h2 = state.2, h3 = state.3
        var h4 = state.4, h5 = state.5, h6 = state.6, h7 = state.7
        var block = blocks
        for _ in 0..<count {
            var a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7
            var bXorC = b ^ c
            var w0 = SHA256.loadBigEndianWord(block, byteOffset: 0)
            var w1 = SHA256.loadBigEndianWord(block, byteOffset: 4)
            var w2 = SHA256.loadBigEndianWord(block, byteOffset: 8)
            var w3 = SHA256.loadBigEndianWord(block, byteOffset: 12)
            var w4 = SHA256.loadBigEndianWord(block, byteOffset: 16)
            var w5 = SHA256.loadBigEndianWord(block, byteOffset: 20)
            var w6 = SHA256.loadBigEndianWord(block, byteOffset: 24)
            var w7 = SHA256.loadBigEndianWord(block, byteOffset: 28)
            var w8 = SHA256.loadBigEndianWord(block, byteOffset: 32)
            var w9 = SHA256.loadBigEndianWord(block, byteOffset: 36)
            var w10 = SHA256.loadBigEndianWord(block, byteOffset: 40)
            var w11 = SHA256.loadBigEndianWord(block, byteOffset: 44)
            var w12 = SHA256.loadBigEndianWord(block, byteOffset: 48)
            var w13 = SHA256.loadBigEndianWord(block, byteOffset: 52)
            var w14 = SHA256.loadBigEndianWord(block, byteOffset: 56)
            var w15 = SHA256.loadBigEndianWord(block, byteOffset: 60)

            // Rounds 0...15 take the message words as they are.
            SHA256.round(a, b, c, &d, e, f, g, &h, 0x428a_2f98, w0, &bXorC)
            SHA256.round(h, a, b, &c, d, e, f, &g, 0x7137_4491, w1, &bXorC)
            SHA256.round(g, h, a, &b, c, d, e, &f, 0xb5c0_fbcf, w2, &bXorC)
            SHA256.round(f, g, h, &a, b, c, d, &e, 0xe9b5_dba5, w3, &bXorC)
            SHA256.round(e, f, g, &h, a, b, c, &d, 0x3956_c25b, w4, &bXorC)
            SHA256.round(d, e, f, &g, h, a, b, &c, 0x59f1_11f1, w5, &bXorC)
            SHA256.round(c, d, e, &f, g, h, a, &b, 0x923f_82a4, w6, &bXorC)
            SHA256.round(b, c, d, &e, f, g, h, &a, 0xab1c_5ed5, w7, &bXorC)
            SHA256.round(a, b, c, &d, e, f, g, &h, 0xd807_aa98, w8, &bXorC)
            SHA256.round(h, a, b, &c, d, e, f, &g, 0x1283_5b01, w9, &bXorC)
            SHA256.round(g, h, a, &b, c, d, e, &f, 0x2431_85be, w10, &bXorC)
            SHA256.round(f, g, h, &a, b, c, d, &e, 0x550c_7dc3, w11, &bXorC)
            SHA256.round(e, f, g, &h, a, b, c, &d, 0x72be_5d74, w12, &bXorC)
            SHA256.round(d, e, f, &g, h, a, b, &c, 0x80de_b1fe, w13, &bXorC)
            SHA256.round(c, d, e, &f, g, h, a, &b, 0x9bdc_06a7, w14, &bXorC)
            SHA256.round(b, c, d, &e, f, g, h, &a, 0xc19b_f174, w15, &bXorC)

            // Rounds 16...63 extend the schedule in place: w[t % 16] becomes W[t].
            w0 = SHA256.schedule(w0, w1, w9, w14)
            SHA256.round(a, b, c, &d, e, f, g, &h, 0xe49b_69c1, w0, &bXorC)
            w1 = SHA256.schedule(w1, w2, w10, w15)
            SHA256.round(h, a, b, &c, d, e, f, &g, 0xefbe_4786, w1, &bXorC)
            w2 = SHA256.schedule(w2, w3, w11, w0)
            SHA256.round(g, h, a, &b, c, d, e, &f, 0x0fc1_9dc6, w2, &bXorC)
            w3 = SHA256.schedule(w3, w4, w12, w1)
            SHA256.round(f, g, h, &a, b, c, d, &e, 0x240c_a1cc, w3, &bXorC)
            w4 = SHA256.schedule(w4, w5, w13, w2)
            SHA256.round(e, f, g, &h, a, b, c, &d, 0x2de9_2c6f, w4, &bXorC)
            w5 = SHA256.schedule(w5, w6, w14, w3)
            SHA256.round(d, e, f, &g, h, a, b, &c, 0x4a74_84aa, w5, &bXorC)
            w6 = SHA256.schedule(w6, w7, w15, w4)
            SHA256.round(c, d, e, &f, g, h, a, &b, 0x5cb0_a9dc, w6, &bXorC)
            w7 = SHA256.schedule(w7, w8, w0, w5)
            SHA256.round(b, c, d, &e, f, g, h, &a, 0x76f9_88da, w7, &bXorC)
            w8 = SHA256.schedule(w8, w9, w1, w6)
            SHA256.round(a, b, c, &d, e, f, g, &h, 0x983e_5152, w8, &bXorC)
            w9 = SHA256.schedule(w9, w10, w2, w7)
            SHA256.round(h, a, b, &c, d, e, f, &g, 0xa831_c66d, w9, &bXorC)
            w10 = SHA256.schedule(w10, w11, w3, w8)
            SHA256.round(g, h, a, &b, c, d, e, &f, 0xb003_27c8, w10, &bXorC)
            w11 = SHA256.schedule(w11, w12, w4, w9)
            SHA256.round(f, g, h, &a, b, c, d, &e, 0xbf59_7fc7, w11, &bXorC)
            w12 = SHA256.schedule(w12, w13, w5, w10)
            SHA256.round(e, f, g, &h, a, b, c, &d, 0xc6e0_0bf3, w12, &bXorC)
            w13 = SHA256.schedule(w13, w14, w6, w11)
            SHA256.round(d, e, f, &g, h, a, b, &c, 0xd5a7_9147, w13, &bXorC)
            w14 = SHA256.schedule(w14, w15, w7, w12)
            SHA256.round(c, d, e, &f, g, h, a, &b, 0x06ca_6351, w14, &bXorC)
            w15 = SHA256.schedule(w15, w0, w8, w13)
            SHA256.round(b, c, d, &e, f, g, h, &a, 0x1429_2967, w15, &bXorC)

            w0 = SHA256.schedule(w0, w1, w9, w14)
            SHA256.round(a, b, c, &d, e, f, g, &h, 0x27b7_0a85, w0, &bXorC)
            w1 = SHA256.schedule(w1, w2, w10, w15)
            SHA256.round(h, a, b, &c, d, e, f, &g, 0x2e1b_2138, w1, &bXorC)
            w2 = SHA256.schedule(w2, w3, w11, w0)
            SHA256.round(g, h, a, &b, c, d, e, &f, 0x4d2c_6dfc, w2, &bXorC)
            w3 = SHA256.schedule(w3, w4, w12, w1)
            SHA256.round(f, g, h, &a, b, c, d, &e, 0x5338_0d13, w3, &bXorC)
            w4 = SHA256.schedule(w4, w5, w13, w2)
            SHA256.round(e, f, g, &h, a, b, c, &d, 0x650a_7354, w4, &bXorC)
            w5 = SHA256.schedule(w5, w6, w14, w3)
            SHA256.round(d, e, f, &g, h, a, b, &c, 0x766a_0abb, w5, &bXorC)
            w6 = SHA256.schedule(w6, w7, w15, w4)
            SHA256.round(c, d, e, &f, g, h, a, &b, 0x81c2_c92e, w6, &bXorC)
            w7 = SHA256.schedule(w7, w8, w0, w5)
            SHA256.round(b, c, d, &e, f, g, h, &a, 0x9272_2c85, w7, &bXorC)
            w8 = SHA256.schedule(w8, w9, w1, w6)
            SHA256.round(a, b, c, &d, e, f, g, &h, 0xa2bf_e8a1, w8, &bXorC)
            w9 = SHA256.schedule(w9, w10, w2, w7)
            SHA256.round(h, a, b, &c, d, e, f, &g, 0xa81a_664b, w9, &bXorC)
            w10 = SHA256.schedule(w10, w11, w3, w8)
            SHA256.round(g, h, a, &b, c, d, e, &f, 0xc24b_8b70, w10, &bXorC)
            w11 = SHA256.schedule(w11, w12, w4, w9)
            SHA256.round(f, g, h, &a, b, c, d, &e, 0xc76c_51a3, w11, &bXorC)
            w12 = SHA256.schedule(w12, w13, w5, w10)
            SHA256.round(e, f, g, &h, a, b, c, &d, 0xd192_e819, w12, &bXorC)
            w13 = SHA256.schedule(w13, w14, w6, w11)
            SHA256.round(d, e, f, &g, h, a, b, &c, 0xd699_0624, w13, &bXorC)
            w14 = SHA256.schedule(w14, w15, w7, w12)
            SHA256.round(c, d, e, &f, g, h, a, &b, 0xf40e_3585, w14, &bXorC)
            w15 = SHA256.schedule(w15, w0, w8, w13)
            SHA256.round(b, c, d, &e, f, g, h, &a, 0x106a_a070, w15, &bXorC)

            w0 = SHA256.schedule(w0, w1, w9, w14)
            SHA256.round(a, b, c, &d, e, f, g, &h, 0x19a4_c116, w0, &bXorC)
            w1 = SHA256.schedule(w1, w2, w10, w15)
            SHA256.round(h, a, b, &c, d, e, f, &g, 0x1e37_6c08, w1, &bXorC)
            w2 = SHA256.schedule(w2, w3, w11, w0)
            SHA256.round(g, h, a, &b, c, d, e, &f, 0x2748_774c, w2, &bXorC)
            w3 = SHA256.schedule(w3, w4, w12, w1)
            SHA256.round(f, g, h, &a, b, c, d, &e, 0x34b0_bcb5, w3, &bXorC)
            w4 = SHA256.schedule(w4, w5, w13, w2)
            SHA256.round(e, f, g, &h, a, b, c, &d, 0x391c_0cb3, w4, &bXorC)
            w5 = SHA256.schedule(w5, w6, w14, w3)
            SHA256.round(d, e, f, &g, h, a, b, &c, 0x4ed8_aa4a, w5, &bXorC)
            w6 = SHA256.schedule(w6, w7, w15, w4)
            SHA256.round(c, d, e, &f, g, h, a, &b, 0x5b9c_ca4f, w6, &bXorC)
            w7 = SHA256.schedule(w7, w8, w0, w5)
            SHA256.round(b, c, d, &e, f, g, h, &a, 0x682e_6ff3, w7, &bXorC)
            w8 = SHA256.schedule(w8, w9, w1, w6)
            SHA256.round(a, b, c, &d, e, f, g, &h, 0x748f_82ee, w8, &bXorC)
            w9 = SHA256.schedule(w9, w10, w2, w7)
            SHA256.round(h, a, b, &c, d, e, f, &g, 0x78a5_636f, w9, &bXorC)
            w10 = SHA256.schedule(w10, w11, w3, w8)
            SHA256.round(g, h, a, &b, c, d, e, &f, 0x84c8_7814, w10, &bXorC)
            w11 = SHA256.schedule(w11, w12, w4, w9)
            SHA256.round(f, g, h, &a, b, c, d, &e, 0x8cc7_0208, w11, &bXorC)
            w12 = SHA256.schedule(w12, w13, w5, w10)
            SHA256.round(e, f, g, &h, a, b, c, &d, 0x90be_fffa, w12, &bXorC)
            w13 = SHA256.schedule(w13, w14, w6, w11)
            SHA256.round(d, e, f, &g, h, a, b, &c, 0xa450_6ceb, w13, &bXorC)
            w14 = SHA256.schedule(w14, w15, w7, w12)
            SHA256.round(c, d, e, &f, g, h, a, &b, 0xbef9_a3f7, w14, &bXorC)
            w15 = SHA256.schedule(w15, w0, w8, w13)
            SHA256.round(b, c, d, &e, f, g, h, &a, 0xc671_78f2, w15, &bXorC)

            h0 &+= a; h1 &+= b; h2 &+= c; h3 &+= d
            h4 &+= e; h5 &+= f; h6 &+= g; h7 &+= h
            block += SHA256.blockSize
        }
        state = (h0, h1, h2, h3, h4, h5, h6, h7)
    }

    /// One round. The caller passes a...h rotated, so only the two words
    /// that really change (d gets T1 added, h becomes T1 + T2) are written.
    @inline(__always)
    private static func round(
        _ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: inout UInt32,
        _ e: UInt32, _ f: UInt32, _ g: UInt32, _ h: inout UInt32,
        _ constant: UInt32, _ word: UInt32, _ bXorC: inout UInt32
    ) {
        // Σ1(e) = ROTR6 ^ ROTR11 ^ ROTR25, nested so it needs one scratch register.
        let sigma1 = rotateRight(rotateRight(rotateRight(e, 14) ^ e, 5) ^ e, 6)
        // Ch(e, f, g) with one operation fewer than (e & f) ^ (~e & g).
        let choose = g ^ (e & (f ^ g))
        let temporary1 = h &+ sigma1 &+ choose &+ constant &+ word
        // Σ0(a) = ROTR2 ^ ROTR13 ^ ROTR22, nested likewise.
        let sigma0 = rotateRight(rotateRight(rotateRight(a, 9) ^ a, 11) ^ a, 2)
        // Maj(a, b, c) = b ^ ((a ^ b) & (b ^ c)); this round's a ^ b is the
        // next round's b ^ c, so each round pays for one xor, not two.
        let aXorB = a ^ b
        let majority = b ^ (aXorB & bXorC)
        bXorC = aXorB
        d &+= temporary1
        h = temporary1 &+ sigma0 &+ majority
    }

    /// W[t] = σ1(W[t-2]) + W[t-7] + σ0(W[t-15]) + W[t-16], where `sixteenBack`
    /// is the window slot being replaced.
    @inline(__always)
    private static func schedule(
        _ sixteenBack: UInt32, _ fifteenBack: UInt32, _ sevenBack: UInt32, _ twoBack: UInt32
    ) -> UInt32 {
        let smallSigma0 = rotateRight(fifteenBack, 7) ^ rotateRight(fifteenBack, 18) ^ (fifteenBack &>> 3)
        let smallSigma1 = rotateRight(twoBack, 17) ^ rotateRight(twoBack, 19) ^ (twoBack &>> 10)
        return smallSigma1 &+ sevenBack &+ smallSigma0 &+ sixteenBack
    }

    /// Compiles to a single rotate instruction.
    @inline(__always)
    private static func rotateRight(_ value: UInt32, _ count: UInt32) -> UInt32 {
        (value &>> count) | (value &<< (32 &- count))
    }

    /// Message words are big-endian; input blocks need not be aligned.
    @inline(__always)
    private static func loadBigEndianWord(_ block: UnsafeRawPointer, byteOffset: Int) -> UInt32 {
        UInt32(bigEndian: block.loadUnaligned(fromByteOffset: byteOffset, as: UInt32.self))
    }
}
