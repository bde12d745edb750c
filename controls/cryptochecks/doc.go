// Package cryptochecks judges the crypto inventory and the signatures the
// keys collector checked: quantum-vulnerable signing keys against NSA CNSA
// 2.0's dates, weak algorithms, expired or revoked keys, private keys left in
// the tree, and OpenPGP and ML-DSA/SLH-DSA signature verification. Checks are
// pure functions over evidence; Inventory fills the report's crypto table.
package cryptochecks
