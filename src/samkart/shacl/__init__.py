"""SHACL validation: findings, the reference engine (pyshacl), the compiler to SPARQL and the fast engine."""
