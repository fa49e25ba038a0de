"""Writes an RS256 key's public half as a JWKS (DIR/jwks.json) and prints a staff token signed
with it (PyJWT, valid for a day): the auth phase of run.sh."""

import argparse
import json
import time
from pathlib import Path

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

parser = argparse.ArgumentParser()
parser.add_argument("--dir", required=True)
args = parser.parse_args()
key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
Path(args.dir, "jwks.json").write_text(json.dumps({"keys": [{**jwk, "kid": "bench", "alg": "RS256", "use": "sig"}]}))
print(jwt.encode({"sub": "bench", "exp": int(time.time()) + 86400, "roles": ["staff"]}, key, algorithm="RS256", headers={"kid": "bench"}))
