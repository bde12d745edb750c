// Package sbom finds SBOMs in a target by their content and normalises
// CycloneDX 1.2–1.7 (JSON, XML), SPDX 2.2/2.3 (JSON, tag-value, YAML) and
// SPDX 3.0 (JSON-LD) into one Document that the SBOM and vulnerability
// checks judge. Documents are validated against the official schemas
// embedded in schemas/, embedded CycloneDX JSF signatures are verified, and
// malformed input becomes a Document with Error set, never a panic.
package sbom
