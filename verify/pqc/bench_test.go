package pqc

import "testing"

func benchVerify(b *testing.B, name string) {
	k := key(b, name)
	msg := make([]byte, 1024)
	sig, _ := k.Sign(msg, nil)
	pub := k.Public()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := pub.Verify(msg, sig, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerifyMLDSA44(b *testing.B)        { benchVerify(b, "ML-DSA-44") }
func BenchmarkVerifyMLDSA65(b *testing.B)        { benchVerify(b, "ML-DSA-65") }
func BenchmarkVerifyMLDSA87(b *testing.B)        { benchVerify(b, "ML-DSA-87") }
func BenchmarkVerifySLHDSASHA2128f(b *testing.B) { benchVerify(b, "SLH-DSA-SHA2-128f") }
func BenchmarkVerifySLHDSASHA2128s(b *testing.B) { benchVerify(b, "SLH-DSA-SHA2-128s") }

func BenchmarkParseCertificate(b *testing.B) {
	k := key(b, "ML-DSA-65")
	c := mkcert(b, "bench", k.Public(), nil, k, true)
	der := c.X509.Raw
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := ParseCertificate(der); err != nil {
			b.Fatal(err)
		}
	}
}
