;; MinHash minima for collect/dedupe.ts signatureOf, four permutations per 128-bit lane
;; group and two groups at a time: for each seed, the least of mix(shingle ^ seed) over all
;; shingles, where mix is murmur3's fmix32 with the sign bit flipped so that a signed minimum
;; orders as the unsigned hashes do. Exactly the arithmetic of the JavaScript loop in
;; dedupe.ts (minhashInJs), which test/minhash-wasm.test.ts holds it to.
;;
;; minhash(shingles, count, seeds, out): `count` 32-bit shingle hashes at `shingles`, 128 seeds
;; at `seeds`, 128 minima written to `out` (0xffffffff each when there are no shingles).
;; collect/minhash-wasm.ts embeds this module compiled; `npm run wasm` rebuilds it.
(module
  (memory (export "memory") 1)
  (func (export "minhash") (param $shingles i32) (param $count i32) (param $seeds i32) (param $out i32)
    (local $group i32) (local $at i32) (local $end i32)
    (local $seedA v128) (local $seedB v128) (local $leastA v128) (local $leastB v128)
    (local $s v128) (local $a v128) (local $b v128)
    (local.set $end (i32.add (local.get $shingles) (i32.shl (local.get $count) (i32.const 2))))
    (local.set $group (i32.const 0))
    (loop $groups
      (local.set $seedA (v128.load (i32.add (local.get $seeds) (local.get $group))))
      (local.set $seedB (v128.load offset=16 (i32.add (local.get $seeds) (local.get $group))))
      (local.set $leastA (v128.const i32x4 0x7fffffff 0x7fffffff 0x7fffffff 0x7fffffff))
      (local.set $leastB (v128.const i32x4 0x7fffffff 0x7fffffff 0x7fffffff 0x7fffffff))
      (local.set $at (local.get $shingles))
      (block $done
        (br_if $done (i32.ge_u (local.get $at) (local.get $end)))
        (loop $each
          (local.set $s (i32x4.splat (i32.load (local.get $at))))
          (local.set $a (v128.xor (local.get $s) (local.get $seedA)))
          (local.set $b (v128.xor (local.get $s) (local.get $seedB)))
          (local.set $a (v128.xor (local.get $a) (i32x4.shr_u (local.get $a) (i32.const 16))))
          (local.set $b (v128.xor (local.get $b) (i32x4.shr_u (local.get $b) (i32.const 16))))
          (local.set $a (i32x4.mul (local.get $a) (v128.const i32x4 0x85ebca6b 0x85ebca6b 0x85ebca6b 0x85ebca6b)))
          (local.set $b (i32x4.mul (local.get $b) (v128.const i32x4 0x85ebca6b 0x85ebca6b 0x85ebca6b 0x85ebca6b)))
          (local.set $a (v128.xor (local.get $a) (i32x4.shr_u (local.get $a) (i32.const 13))))
          (local.set $b (v128.xor (local.get $b) (i32x4.shr_u (local.get $b) (i32.const 13))))
          (local.set $a (i32x4.mul (local.get $a) (v128.const i32x4 0xc2b2ae35 0xc2b2ae35 0xc2b2ae35 0xc2b2ae35)))
          (local.set $b (i32x4.mul (local.get $b) (v128.const i32x4 0xc2b2ae35 0xc2b2ae35 0xc2b2ae35 0xc2b2ae35)))
          (local.set $a (v128.xor (local.get $a) (i32x4.shr_u (local.get $a) (i32.const 16))))
          (local.set $b (v128.xor (local.get $b) (i32x4.shr_u (local.get $b) (i32.const 16))))
          (local.set $a (v128.xor (local.get $a) (v128.const i32x4 0x80000000 0x80000000 0x80000000 0x80000000)))
          (local.set $b (v128.xor (local.get $b) (v128.const i32x4 0x80000000 0x80000000 0x80000000 0x80000000)))
          (local.set $leastA (i32x4.min_s (local.get $leastA) (local.get $a)))
          (local.set $leastB (i32x4.min_s (local.get $leastB) (local.get $b)))
          (local.set $at (i32.add (local.get $at) (i32.const 4)))
          (br_if $each (i32.lt_u (local.get $at) (local.get $end)))))
      (v128.store (i32.add (local.get $out) (local.get $group))
        (v128.xor (local.get $leastA) (v128.const i32x4 0x80000000 0x80000000 0x80000000 0x80000000)))
      (v128.store offset=16 (i32.add (local.get $out) (local.get $group))
        (v128.xor (local.get $leastB) (v128.const i32x4 0x80000000 0x80000000 0x80000000 0x80000000)))
      (local.set $group (i32.add (local.get $group) (i32.const 32)))
      (br_if $groups (i32.lt_u (local.get $group) (i32.const 512))))))
