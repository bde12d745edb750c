package main

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/pedigree-dev/pedigree/verify/pqc"
)

func init() {
	addVerifyCommand(func() *cobra.Command {
		var (
			keyPath, sigPath, certPath, context string
			caBundles, untrusted                []string
		)
		cmd := &cobra.Command{
			Use:   "pqc (--key K.pem | --certificate C.pem --ca-bundle R.pem) [--signature S FILE]",
			Short: "Verify an ML-DSA or SLH-DSA signature, or a post-quantum X.509 certificate chain",
			Long: "Verify a raw (or base64) ML-DSA-44/65/87 or SLH-DSA signature over FILE with a PEM public key,\n" +
				"or with the key of a certificate whose chain (ML-DSA/SLH-DSA or classical signatures) is verified\n" +
				"to a root in --ca-bundle. With --certificate and no --signature, only the chain is verified.\n" +
				"Prints one line OK: ... or FAIL: <reason>; exits 0, 1, or 2 for usage errors.",
			Args: cobra.MaximumNArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				out := cmd.OutOrStdout()
				if (keyPath == "") == (certPath == "") {
					return usageError(errors.New("give exactly one of --key or --certificate"))
				}
				if (sigPath == "") != (len(args) == 0) {
					return usageError(errors.New("--signature and FILE go together"))
				}
				var key *pqc.PublicKey
				var chainNote string
				if keyPath != "" {
					b, err := readLimitedFile("key", keyPath, pqc.MaxSPKISize*2)
					if err != nil {
						return err
					}
					if key, err = pqc.ParsePEM(b); err != nil {
						return verdictLine(out, fmt.Errorf("key %s: %w", keyPath, err), "")
					}
				} else {
					if len(caBundles) == 0 {
						return usageError(errors.New("--certificate needs --ca-bundle"))
					}
					var roots, inter []*pqc.Certificate
					for _, p := range caBundles {
						b, err := readLimitedFile("ca-bundle", p, 16<<20)
						if err != nil {
							return err
						}
						cs, err := pqc.ParseCertificatesPEM(b)
						if err != nil {
							return usageError(fmt.Errorf("ca-bundle %s: %w", p, err))
						}
						roots = append(roots, cs...)
					}
					for _, p := range untrusted {
						b, err := readLimitedFile("untrusted", p, 16<<20)
						if err != nil {
							return err
						}
						cs, err := pqc.ParseCertificatesPEM(b)
						if err != nil {
							return verdictLine(out, fmt.Errorf("untrusted %s: %w", p, err), "")
						}
						inter = append(inter, cs...)
					}
					b, err := readLimitedFile("certificate", certPath, 16<<20)
					if err != nil {
						return err
					}
					certs, err := pqc.ParseCertificatesPEM(b)
					if err != nil {
						return verdictLine(out, fmt.Errorf("certificate %s: %w", certPath, err), "")
					}
					chain, err := pqc.VerifyChain(certs[0], append(certs[1:], inter...), roots, time.Now())
					if err != nil {
						return verdictLine(out, err, "")
					}
					leaf := chain[0]
					chainNote = fmt.Sprintf("certificate %q chains to %q (%d certificates, leaf signed with %s)", leaf.X509.Subject, chain[len(chain)-1].X509.Subject, len(chain), leaf.SignatureAlgorithmName())
					if sigPath == "" {
						return verdictLine(out, nil, chainNote)
					}
					if leaf.PublicKey == nil {
						return verdictLine(out, fmt.Errorf("certificate %q holds a %s key, not ML-DSA or SLH-DSA", leaf.X509.Subject, leaf.X509.PublicKeyAlgorithm), "")
					}
					key = leaf.PublicKey
				}
				if sigPath == "" {
					return usageError(errors.New("--key needs --signature and FILE"))
				}
				raw, err := readLimitedFile("signature", sigPath, 1<<20)
				if err != nil {
					return err
				}
				data, err := readLimitedFile("data", args[0], 1<<30)
				if err != nil {
					return err
				}
				sig, err := pqc.DecodeSignature(key.Algorithm, raw)
				if err != nil {
					return verdictLine(out, err, "")
				}
				if err := key.Verify(data, sig, []byte(context)); err != nil {
					return verdictLine(out, err, "")
				}
				msg := fmt.Sprintf("good %s signature over %s", key.Algorithm.Name, args[0])
				if chainNote != "" {
					msg += "; " + chainNote
				}
				return verdictLine(out, nil, msg)
			},
		}
		cmd.Flags().StringVar(&keyPath, "key", "", "PEM public key (ML-DSA or SLH-DSA SubjectPublicKeyInfo)")
		cmd.Flags().StringVar(&sigPath, "signature", "", "signature file over FILE (raw bytes or base64)")
		cmd.Flags().StringVar(&certPath, "certificate", "", "PEM certificate (chain, leaf first) whose key signed FILE")
		cmd.Flags().StringArrayVar(&caBundles, "ca-bundle", nil, "PEM file of trusted root certificates; repeatable")
		cmd.Flags().StringArrayVar(&untrusted, "untrusted", nil, "PEM file of intermediate certificates; repeatable")
		cmd.Flags().StringVar(&context, "context", "", "FIPS 204/205 context string (empty by default)")
		return cmd
	})
}

func verdictLine(w io.Writer, err error, ok string) error { return pgpVerdictText(w, err, ok) }
