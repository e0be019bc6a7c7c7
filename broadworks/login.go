package broadworks

import (
	"crypto/md5"
	"crypto/sha1"
	"encoding/hex"
)

// SignPassword computes the signedPassword of LoginRequest14sp4 for a
// nonce from AuthenticationResponse: lower-case hex MD5 of
// nonce + ":" + lower-case hex SHA-1 of the password's UTF-8 bytes.
func SignPassword(nonce, password string) string {
	sh := sha1.Sum([]byte(password))
	m := md5.Sum([]byte(nonce + ":" + hex.EncodeToString(sh[:])))
	return hex.EncodeToString(m[:])
}
