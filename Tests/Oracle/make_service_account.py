"""Writes a service-account key file in Google's JSON format with a new 2048-bit RSA key, for
the token-exchange tests (a stand-in endpoint verifies the JWTs signed with it).

usage: python3 make_service_account.py OUT.json TOKEN_URI
"""
import json
import sys
import uuid

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

out, token_uri = sys.argv[1], sys.argv[2]
key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
json.dump({
    "type": "service_account", "project_id": "warehouse-tests", "private_key_id": uuid.uuid4().hex,
    "private_key": pem, "client_email": "warehouse-cache@warehouse-tests.iam.gserviceaccount.com",
    "client_id": "100000000000000000001", "token_uri": token_uri,
}, open(out, "w"), indent=2)
