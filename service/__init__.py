"""The samkart web service: a thin FastAPI layer over the samkart core library."""
