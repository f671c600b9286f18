#!/usr/bin/env bash
# Regenerates this test PKI (valid 100 years). Every key here is public and for tests only; never deploy them.
#   ca.pem         the authority the tests trust for the server and for client certificates (its key is discarded)
#   server.*       the gateway's certificate: CN and SAN localhost, IP SAN 127.0.0.1
#   CERT1.*, TLS1.*  charger client certificates, CN = charger identity, O = Test CPO
#   rogue-*        a client certificate for CERT1 from an authority nobody trusts
#   unrelated.key  a key that belongs to no certificate
set -euo pipefail
cd "$(dirname "$0")"
key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
authority() {
    key "$1.key"
    openssl req -x509 -new -key "$1.key" -sha256 -days 36500 -subj "$2" \
        -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" -out "$1.pem"
}
issue() {
    key "$1.key"
    openssl req -new -key "$1.key" -subj "$2" -out "$1.csr"
    printf '%s\n' "$4" > "$1.ext"
    openssl x509 -req -in "$1.csr" -CA "$3.pem" -CAkey "$3.key" -CAcreateserial -days 36500 -sha256 \
        -extfile "$1.ext" -out "$1.pem" 2>/dev/null
    rm "$1.csr" "$1.ext"
}
authority ca "/O=ocpp809 tests/CN=ocpp809 test CA"
authority rogue-ca "/O=Somebody else/CN=untrusted CA"
issue server "/O=ocpp809 tests/CN=localhost" ca $'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE'
for charger in CERT1 TLS1; do
    issue "$charger" "/O=Test CPO/CN=$charger" ca $'extendedKeyUsage=clientAuth\nbasicConstraints=CA:FALSE'
done
issue rogue-CERT1 "/O=Test CPO/CN=CERT1" rogue-ca $'extendedKeyUsage=clientAuth\nbasicConstraints=CA:FALSE'
key unrelated.key
rm -f ./*.srl ca.key rogue-ca.key
