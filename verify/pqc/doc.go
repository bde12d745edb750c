// Package pqc verifies post-quantum signatures: ML-DSA (FIPS 204) and
// SLH-DSA (FIPS 205, all twelve parameter sets), raw or inside X.509
// certificates, with github.com/cloudflare/circl.
//
// crypto/x509 leaves the public key of such certificates nil, so this
// package parses SubjectPublicKeyInfo itself with
// golang.org/x/crypto/cryptobyte and checks a certificate's TBS signature
// against its issuer's post-quantum key. Every verification goes through the
// typed verify functions of each parameter set (sign.Scheme.Verify panics on
// a key of the wrong type).
package pqc
