package jsenv

import (
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"testing"
)

func TestCryptoKnownVectors(t *testing.T) {
	for _, v := range []Version{V1, V2} {
		tv := newTestVM(t, v)
		for code, want := range map[string]string{
			`require('crypto').createHash('md5').update('abc').digest('hex')`:                                                                            "900150983cd24fb0d6963f7d28e17f72",
			`require('crypto').createHash('sha1').update('abc').digest('hex')`:                                                                           "a9993e364706816aba3e25717850c26c9cd0d89d",
			`require('crypto').createHash('sha256').update('abc').digest('hex')`:                                                                         "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
			`require('crypto').createHash('sha256').update('a').update('bc').digest('base64')`:                                                           "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=",
			`require('crypto').createHash('sha256').update('abc').digest('base64url')`:                                                                   "ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0",
			`require('crypto').createHmac('sha256', 'Jefe').update('what do ya want for nothing?').digest('hex')`:                                        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
			`require('crypto').createHmac('md5', 'Jefe').update('what do ya want for nothing?').digest('hex')`:                                           "750c783e6ab0b503eaa86e310a5db738",
			`require('crypto').createHmac('sha1', 'Jefe').update('what do ya want for nothing?').digest('hex')`:                                          "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79",
			`require('crypto').createHash('md5').digest('hex')`:                                                                                          "d41d8cd98f00b204e9800998ecf8427e",
			`(function () { var h = require('crypto').createHash('md5'); h.digest('hex'); try { h.digest('hex'); } catch (e) { return String(e); } })()`: "Error: Digest already called",
		} {
			if got := tv.eval(code); got != want {
				t.Errorf("v%d %s = %q, want %q", v, code, got, want)
			}
		}
	}
}

// The SigV4 signing-key chain feeds each raw digest in as the next key. In 1.0 the digest
// is a byte string and must be taken as its bytes, not re-encoded as UTF-8.
func TestCryptoRawDigestAsKey(t *testing.T) {
	mac := func(key []byte, data string) []byte {
		h := hmac.New(sha256.New, key)
		h.Write([]byte(data))
		return h.Sum(nil)
	}
	k := mac([]byte("AWS4wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"), "20150830")
	k = mac(k, "us-east-1")
	k = mac(k, "iam")
	k = mac(k, "aws4_request")
	want := hex.EncodeToString(mac(k, "string to sign"))
	code := `(function () {
		var c = require('crypto');
		function h(key, data) { return c.createHmac('sha256', key).update(data).digest(); }
		var k = h('AWS4wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', '20150830');
		k = h(k, 'us-east-1'); k = h(k, 'iam'); k = h(k, 'aws4_request');
		return c.createHmac('sha256', k).update('string to sign').digest('hex');
	})()`
	for _, v := range []Version{V1, V2} {
		if got := newTestVM(t, v).eval(code); got != want {
			t.Errorf("v%d signing chain = %s, want %s", v, got, want)
		}
	}
	// A 1.0 digest stays usable as bytes through toUTF8/toBytes/fromBytes round trips.
	tv := newTestVM(t, V1)
	got := tv.eval(`(function () {
		var c = require('crypto');
		var d = c.createHash('sha256').update('abc').digest();
		return [d.length, d.toBytes() === d, c.createHash('md5').update(d).digest('hex') === c.createHash('md5').update(String.bytesFrom(d.split('').map(function (ch) { return ch.charCodeAt(0); }))).digest('hex')].join();
	})()`)
	if got != "32,true,true" {
		t.Errorf("1.0 digest bytes: %s", got)
	}
	// Text with Latin-1 characters that was not produced as bytes is hashed as UTF-8.
	if got := tv.eval(`require('crypto').createHash('md5').update('é').digest('hex')`); got != md5hex("é") {
		t.Errorf("1.0 text é hashed as %s", got)
	}
}

func md5hex(s string) string {
	h := md5.Sum([]byte(s))
	return hex.EncodeToString(h[:])
}
