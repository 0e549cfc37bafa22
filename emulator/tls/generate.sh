#!/bin/sh
# Regenerates the test-only CA and server certificate in this folder, valid 2000-2099 so that no
# clock in use will find them expired or not yet valid. The CA's key is thrown away afterwards.
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
touch "$tmp/index.txt"
echo 1000 > "$tmp/serial"
cat > "$tmp/ca.cnf" <<CNF
[ ca ]
default_ca = test_ca
[ test_ca ]
database = $tmp/index.txt
new_certs_dir = $tmp
serial = $tmp/serial
default_md = sha256
policy = policy_any
unique_subject = no
[ policy_any ]
commonName = supplied
[ ca_ext ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[ server_ext ]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature,keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = DNS:api.vps.test,DNS:localhost,IP:127.0.0.1
CNF
dates="-startdate 20000101000000Z -enddate 20991231235959Z"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$tmp/ca-key.pem"
openssl req -new -key "$tmp/ca-key.pem" -subj "/CN=VPS API emulator test CA (loopback only)" -out "$tmp/ca.csr"
# shellcheck disable=SC2086
openssl ca -batch -notext -config "$tmp/ca.cnf" -selfsign -keyfile "$tmp/ca-key.pem" $dates \
  -extensions ca_ext -in "$tmp/ca.csr" -out ca.pem
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out server-key.pem
openssl req -new -key server-key.pem -subj "/CN=api.vps.test" -out "$tmp/server.csr"
# shellcheck disable=SC2086
openssl ca -batch -notext -config "$tmp/ca.cnf" -cert ca.pem -keyfile "$tmp/ca-key.pem" $dates \
  -extensions server_ext -in "$tmp/server.csr" -out server.pem
