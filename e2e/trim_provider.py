"""Trims a copy of the AWS provider's source to the service packages the lab uses (e2e/build-provider.sh).

Go compiles only what is imported. The provider imports its ~260 service packages from one generated
registry (internal/provider/sdkv2/service_packages_gen.go) and every AWS SDK client from another
(internal/conns/awsclient_gen.go). This keeps, in the first, the listed service packages, and in the
second, the client accessors that the kept packages call; nothing else in the source changes. Services
left out are unknown to the binary: a resource of theirs fails with "resource type not supported".

Usage: python3 trim_provider.py SOURCE_DIR SERVICE [SERVICE ...]
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

REGISTRY = "internal/provider/sdkv2/service_packages_gen.go"
CLIENTS = "internal/conns/awsclient_gen.go"
SERVICE_IMPORT = re.compile(r'^\t"github.com/hashicorp/terraform-provider-aws/internal/service/([a-z0-9]+)"\n', re.M)
SERVICE_ENTRY = re.compile(r"^\t\t([a-z0-9]+)\.ServicePackage\(ctx\),\n", re.M)
CLIENT_METHOD = re.compile(r"^func \(c \*AWSClient\) ([A-Za-z0-9]+Client)\(ctx context\.Context\)[^\n]*\{\n.*?^\}\n\n?", re.M | re.S)
CLIENT_CALL = re.compile(r"\.([A-Za-z0-9]+Client)\(ctx\)")
ACCESSOR_SERVICE = re.compile(r"^func \(c \*AWSClient\) ([A-Za-z0-9]+Client)\(ctx context\.Context\).*?names\.([A-Za-z0-9]+)", re.M | re.S)
NAME_CONSTANT = re.compile(r"^\t([A-Za-z0-9]+)\s*=\s*\"([a-z0-9]+)\"$", re.M)


def trim_registry(source: str, keep: set[str], original: str) -> None:
    path = os.path.join(source, REGISTRY)
    text = original
    text = SERVICE_IMPORT.sub(lambda m: m.group(0) if m.group(1) in keep else "", text)
    text = SERVICE_ENTRY.sub(lambda m: m.group(0) if m.group(1) in keep else "", text)
    missing = keep - set(SERVICE_ENTRY.findall(text))
    if missing:
        sys.exit(f"trim_provider: no service package named {', '.join(sorted(missing))}")
    open(path, "w", encoding="utf-8").write(text)


def package_dirs(source: str) -> list[str]:
    """Directories of the provider's own packages that the trimmed main package imports."""
    env = dict(os.environ, GOFLAGS="-mod=mod", GOWORK="off")
    listed = subprocess.run(
        [os.environ.get("GO", "go"), "list", "-deps", "-f", "{{if not .Standard}}{{.Dir}}{{end}}", "."],
        cwd=source, env=env, check=True, capture_output=True, text=True,
    ).stdout.split()
    return [d for d in listed if d.startswith(os.path.abspath(source) + os.sep)]


def used_clients(source: str) -> set[str]:
    used: set[str] = set()
    for directory in package_dirs(source):
        for name in os.listdir(directory):
            if name.endswith(".go") and not name.endswith("_test.go") and name != os.path.basename(CLIENTS):
                used |= set(CLIENT_CALL.findall(open(os.path.join(directory, name), encoding="utf-8").read()))
    return used


def trim_clients(source: str) -> int:
    path = os.path.join(source, CLIENTS)
    text = open(path, encoding="utf-8").read()
    used = used_clients(source)
    text = CLIENT_METHOD.sub(lambda m: m.group(0) if m.group(1) in used else "", text)
    head, _, body = text.partition("\n)\n")
    imports = head.split("import (\n", 1)
    kept_imports = []
    for line in imports[1].splitlines():
        alias = line.strip().split(" ")[0] if " " in line.strip() else line.strip().strip('"').split("/")[-1]
        if not line.strip() or re.search(rf"\b{re.escape(alias)}\.", body):
            kept_imports.append(line)
    open(path, "w", encoding="utf-8").write(imports[0] + "import (\n" + "\n".join(kept_imports) + "\n)\n" + body)
    return len(used)


def client_packages(source: str) -> dict[str, str]:
    """SDK client accessor -> the service package that creates that client (its NewClient)."""
    constants = {}
    for name in os.listdir(os.path.join(source, "names")):
        if name.endswith(".go"):
            constants.update(NAME_CONSTANT.findall(open(os.path.join(source, "names", name), encoding="utf-8").read()))
    text = open(os.path.join(source, CLIENTS), encoding="utf-8").read()
    services = set(os.listdir(os.path.join(source, "internal", "service")))
    return {
        accessor: constants[const]
        for accessor, const in ACCESSOR_SERVICE.findall(text)
        if constants.get(const) in services
    }


def close_over_clients(source: str, wanted: set[str], original_registry: str) -> set[str]:
    """The wanted services plus those whose clients they call (s3 tags buckets through s3control's client)."""
    providers = client_packages(source)
    keep = set(wanted)
    while True:
        trim_registry(source, keep, original_registry)
        needed = {providers[c] for c in used_clients(source) if c in providers}
        if needed <= keep:
            return keep
        keep |= needed


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    source_dir, services = sys.argv[1], set(sys.argv[2:])
    original = open(os.path.join(source_dir, REGISTRY), encoding="utf-8").read()
    kept = close_over_clients(source_dir, services, original)
    count = trim_clients(source_dir)
    added = sorted(kept - services)
    print(f"kept {len(kept)} service packages ({', '.join(sorted(kept))}; added for their clients: {', '.join(added) or 'none'}) and {count} SDK client accessors")
