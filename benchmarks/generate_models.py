#!/usr/bin/env python3
"""Writes a model data file in upstream's format with N generated models (default 100 000,
about 45 MiB): names, descriptions, providers, licenses, tasks (a list field), timestamps, a
custom property and an artifact each — the shape of a large real catalog.

Usage: benchmarks/generate_models.py OUT.yaml [--count N] [--seed S]
"""
import argparse
import random

PROVIDERS = ["Acme", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay", "Stark", "Wayne"]
LICENSES = ["apache-2.0", "mit", "llama3", "gemma", "cc-by-4.0", "proprietary"]
TASKS = ["text-generation", "summarization", "translation", "embedding", "classification", "code-generation",
         "question-answering", "image-to-text"]
WORDS = ["fast", "small", "multilingual", "instruction", "tuned", "chat", "base", "distilled", "quantised", "long-context",
         "reasoning", "vision", "code", "retrieval", "safety", "domain"]


def model(index, rng):
    provider = rng.choice(PROVIDERS)
    name = f"{provider.lower()}/model-{index:06d}-{rng.choice(WORDS)}"
    created = 1_700_000_000_000 + rng.randrange(0, 60_000_000_000)
    updated = created + rng.randrange(0, 5_000_000_000)
    tasks = sorted(rng.sample(TASKS, rng.randint(1, 3)))
    description = " ".join(rng.choice(WORDS) for _ in range(4))
    size = rng.choice(["1B", "3B", "7B", "8B", "13B", "34B", "70B"])
    return (
        f"  - name: {name}\n"
        f"    description: {description}\n"
        f"    provider: {provider}\n"
        f"    license: {rng.choice(LICENSES)}\n"
        f"    tasks: [{', '.join(tasks)}]\n"
        f"    createTimeSinceEpoch: \"{created}\"\n"
        f"    lastUpdateTimeSinceEpoch: \"{updated}\"\n"
        f"    customProperties:\n"
        f"      size: {{metadataType: MetadataStringValue, string_value: {size}}}\n"
        f"    artifacts:\n"
        f"      - artifactType: model-artifact\n"
        f"        uri: oci://registry.example.com/{name}:1.0\n"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out")
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    options = parser.parse_args()
    rng = random.Random(options.seed)
    with open(options.out, "w") as out:
        out.write("source: Generated\nmodels:\n")
        for index in range(options.count):
            out.write(model(index, rng))


if __name__ == "__main__":
    main()
