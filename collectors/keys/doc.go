// Package keys is the crypto-inventory collector: it finds every key,
// certificate, Sigstore trusted root, Sigstore bundle's verification
// material, OpenPGP key and signature, SSH public key and post-quantum key in
// a target, describes each (algorithm, size or curve, hash, validity window,
// where it was found) and classifies it as quantum-vulnerable, post-quantum
// or weak, judged against NSA's CNSA 2.0. It also verifies the OpenPGP and
// ML-DSA/SLH-DSA signatures it finds next to artifacts against the trust
// policy's keys.
//
// It only reads; it never runs what it scans and never reaches the network.
package keys
