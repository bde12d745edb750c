// Package pgp verifies OpenPGP signatures offline against keyrings the user
// pins: detached (armored or binary), cleartext-signed and inline-signed
// messages, with the signer's key judged valid either when the signature was
// made (as gpgv does) or now.
//
// It wraps github.com/ProtonMail/go-crypto: parsing is bounded, every
// problem is a one-line error, and the result says who signed, when, with
// which algorithms, and which of those are weak (SHA-1 or MD5 digests, DSA,
// ElGamal, RSA below 2048 bits).
package pgp
