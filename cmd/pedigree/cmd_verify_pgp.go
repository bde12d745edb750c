package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pedigree-dev/pedigree/verify/pgp"
)

func init() {
	addVerifyCommand(func() *cobra.Command {
		var (
			keyrings  []string
			validity  string
			signature string
		)
		cmd := &cobra.Command{
			Use:   "pgp --keyring K [--key-validity signature-time|now] (--signature S FILE | SIGNED_MESSAGE)",
			Short: "Verify an OpenPGP signature (detached, cleartext or inline) against pinned keyrings",
			Long: "Verify an OpenPGP signature offline. With --signature, FILE is the signed data and S a detached\n" +
				"signature (armored or binary); without it, the argument is a cleartext-signed or inline-signed\n" +
				"message. The keyrings hold the only trusted keys. --key-validity signature-time (the default, as\n" +
				"gpgv) accepts a key that was valid when it signed; now requires it to be valid today.\n" +
				"Prints one line OK: ... or FAIL: <reason>; exits 0, 1, or 2 for usage errors.",
			Args: cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				out := cmd.OutOrStdout()
				if len(keyrings) == 0 {
					return usageError(errors.New("--keyring is required"))
				}
				v, err := pgp.ParseValidity(validity)
				if err != nil {
					return usageError(err)
				}
				kr, err := pgp.LoadKeyring(keyrings...)
				if err != nil {
					return usageError(err)
				}
				opts := pgp.Options{Keyring: kr.Entities, Validity: v}
				if signature != "" {
					sig, err := readLimitedFile("signature", signature, pgp.MaxSignatureSize)
					if err != nil {
						return err
					}
					f, err := os.Open(args[0])
					if err != nil {
						return usageError(fmt.Errorf("data: %w", err))
					}
					defer f.Close()
					res, err := pgp.VerifyDetached(f, sig, opts)
					return pgpVerdict(out, res, err)
				}
				msg, err := readLimitedFile("message", args[0], pgp.DefaultMaxMessageSize)
				if err != nil {
					return err
				}
				res, _, err := pgp.VerifyMessage(msg, opts)
				return pgpVerdict(out, res, err)
			},
		}
		cmd.Flags().StringArrayVar(&keyrings, "keyring", nil, "OpenPGP keyring (armored or binary) holding the trusted keys; repeatable")
		cmd.Flags().StringVar(&validity, "key-validity", string(pgp.AtSignatureTime), "when the key must have been valid: signature-time or now")
		cmd.Flags().StringVar(&signature, "signature", "", "detached signature over FILE (armored or binary)")
		return cmd
	})
}

// pgpVerdict prints one line and returns the exit: OK (0) or FAIL (1).
func pgpVerdict(w io.Writer, res *pgp.Result, err error) error {
	if err != nil {
		return pgpVerdictText(w, err, "")
	}
	return pgpVerdictText(w, nil, res.String())
}

// pgpVerdictText prints OK: ok or FAIL: err on one line.
func pgpVerdictText(w io.Writer, err error, ok string) error {
	if err != nil {
		fmt.Fprintln(w, "FAIL: "+strings.Join(strings.Fields(err.Error()), " "))
		return withCode(exitFindings, nil)
	}
	fmt.Fprintln(w, "OK: "+ok)
	return nil
}

// readLimitedFile reads a file named on the command line; a missing,
// unreadable or oversized file is a usage error (exit 2).
func readLimitedFile(what, p string, limit int64) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, usageError(fmt.Errorf("%s: %w", what, err))
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, usageError(fmt.Errorf("%s: %w", what, err))
	}
	if int64(len(b)) > limit {
		return nil, usageError(fmt.Errorf("%s: %s is above the %d-byte limit", what, p, limit))
	}
	return b, nil
}
