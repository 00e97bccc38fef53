package federation

import (
	"crypto/ed25519"
	"crypto/hkdf"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strings"

	"github.com/colmena-coop/colmena/directory"
)

// Ed25519 keys published as FEP-521a Multikeys: an actor lists them in
// assertionMethod, each {id, type Multikey, controller, publicKeyMultibase},
// the key written as multibase base58btc ('z') of the multicodec
// ed25519-pub prefix (0xed 0x01) and the 32 key bytes. Fedify and
// Mitra publish them; RFC 9421 signatures with alg ed25519 name their
// ids as keyid.

// maxMultikeys bounds the keys read of one actor.
const maxMultikeys = 8

// multikeyDoc is an assertionMethod entry.
type multikeyDoc struct {
	ID                 string `json:"id"`
	Type               string `json:"type"`
	Controller         string `json:"controller"`
	PublicKeyMultibase string `json:"publicKeyMultibase"`
}

// multikeyList reads assertionMethod as one entry or a list; entries
// that are not objects (references by id) are skipped.
type multikeyList []multikeyDoc

func (l *multikeyList) UnmarshalJSON(b []byte) error {
	var one multikeyDoc
	if json.Unmarshal(b, &one) == nil {
		*l = multikeyList{one}
		return nil
	}
	var many []json.RawMessage
	if json.Unmarshal(b, &many) != nil {
		return nil
	}
	for _, m := range many {
		if json.Unmarshal(m, &one) == nil {
			*l = append(*l, one)
		}
	}
	return nil
}

// ed25519Keys are the usable Ed25519 Multikeys of the actor id: typed
// Multikey, controlled by the actor, with an id on the actor's host
// (as for its main key) and a key that decodes. Others are skipped.
func ed25519Keys(actorID string, l multikeyList) []directory.RemoteKey {
	var out []directory.RemoteKey
	seen := map[string]bool{}
	for _, k := range l {
		if len(out) == maxMultikeys {
			break
		}
		if k.Type != "Multikey" || k.Controller != actorID || k.ID == "" || len(k.ID) > MaxIDLength ||
			hostOf(k.ID) != hostOf(actorID) || seen[k.ID] {
			continue
		}
		if _, err := ParseMultikey(k.PublicKeyMultibase); err != nil {
			continue
		}
		seen[k.ID] = true
		out = append(out, directory.RemoteKey{ID: k.ID, Type: directory.KeyEd25519, Public: k.PublicKeyMultibase})
	}
	return out
}

// ParseMultikey reads an Ed25519 public key written as a Multikey's
// publicKeyMultibase.
func ParseMultikey(s string) (ed25519.PublicKey, error) {
	if !strings.HasPrefix(s, "z") {
		return nil, errors.New("the key is not multibase base58btc (it does not start with z)")
	}
	if len(s) > 100 {
		return nil, errors.New("the key is too long for an Ed25519 key")
	}
	b, err := base58Decode(s[1:])
	if err != nil {
		return nil, err
	}
	if len(b) != 2+ed25519.PublicKeySize || b[0] != 0xed || b[1] != 0x01 {
		return nil, fmt.Errorf("the key is not a multicodec ed25519-pub key (%d bytes)", len(b))
	}
	return ed25519.PublicKey(b[2:]), nil
}

// MultikeyOf writes an Ed25519 public key as a Multikey's
// publicKeyMultibase.
func MultikeyOf(k ed25519.PublicKey) string {
	return "z" + base58Encode(append([]byte{0xed, 0x01}, k...))
}

const base58Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

// base58Decode decodes Bitcoin's base58 (base58btc): leading '1's are
// zero bytes.
func base58Decode(s string) ([]byte, error) {
	n := new(big.Int)
	radix := big.NewInt(58)
	zeros := 0
	for zeros < len(s) && s[zeros] == '1' {
		zeros++
	}
	for _, r := range s {
		i := strings.IndexRune(base58Alphabet, r)
		if i < 0 {
			return nil, fmt.Errorf("the key has a character that is not base58: %q", r)
		}
		n.Mul(n, radix)
		n.Add(n, big.NewInt(int64(i)))
	}
	return append(make([]byte, zeros), n.Bytes()...), nil
}

// base58Encode encodes bytes as Bitcoin's base58.
func base58Encode(b []byte) string {
	n := new(big.Int).SetBytes(b)
	radix := big.NewInt(58)
	mod := new(big.Int)
	var out []byte
	for n.Sign() > 0 {
		n.DivMod(n, radix, mod)
		out = append(out, base58Alphabet[mod.Int64()])
	}
	for _, c := range b {
		if c != 0 {
			break
		}
		out = append(out, '1')
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return string(out)
}

// signingKey is the key of a stored actor a signature's keyid names: its
// main RSA key, or one of its Ed25519 Multikeys.
func signingKey(a *directory.RemoteActor, keyID string) (any, error) {
	if k := a.Key(keyID); k != nil && k.Type == directory.KeyEd25519 {
		pub, err := ParseMultikey(k.Public)
		if err != nil {
			return nil, fmt.Errorf("the key %s of %s: %w", keyID, a.APID, err)
		}
		return pub, nil
	}
	key, err := ParsePublicKey(a.PublicPEM)
	if err != nil {
		return nil, fmt.Errorf("the key of %s: %w", a.APID, err)
	}
	return key, nil
}

// ed25519KeyIDOf is the id of a local actor's Ed25519 key.
func ed25519KeyIDOf(actor string) string { return actor + "#ed25519-key" }

// ownEd25519 is a local actor's Ed25519 key, derived from its RSA key
// (HKDF-SHA256 over the key's PKCS#8 encoding), so that it needs no
// storage of its own and is the same on every replica and restart.
func ownEd25519(k *rsa.PrivateKey) (ed25519.PrivateKey, error) {
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		return nil, err
	}
	seed, err := hkdf.Key(sha256.New, der, nil, "colmena ed25519 key v1", ed25519.SeedSize)
	if err != nil {
		return nil, err
	}
	return ed25519.NewKeyFromSeed(seed), nil
}
