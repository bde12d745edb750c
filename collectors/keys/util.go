package keys

import (
	"encoding/asn1"
	"io"
)

type cryptobyteOID struct{ oid asn1.ObjectIdentifier }

const maxArmorBody = 16 << 20

func readAll(r io.Reader) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxArmorBody+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxArmorBody {
		return nil, io.ErrShortBuffer
	}
	return b, nil
}
