# Parley as a container: the native (AOT) binary on a chiseled Ubuntu base (no shell, no package manager), as a
# non-root user. docs/deployment.md ("The container") says how to run it; the TURN relay needs its UDP ports
# published, or --network host.
#
#   docker build -t parley .
#   docker run -d --name parley -p 8080:8080 -p 8443:8443 -p 3478:3478/udp -p 3478:3478 -p 5349:5349 \
#     -p 49152-49252:49152-49252/udp -e Turn__RelayPortMin=49152 -e Turn__RelayPortMax=49252 \
#     -e Turn__ExternalAddress=203.0.113.7 -v parley-data:/data parley --https

# Build: the SDK with clang and zlib, which the AOT compiler links with.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends clang zlib1g-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /source
COPY global.json Directory.Build.props Parley.slnx ./
COPY src/ src/
COPY web/ web/
# linux-x64 or linux-arm64, as the image is built for (docker buildx --platform).
ARG TARGETARCH
RUN rid=linux-$([ "$TARGETARCH" = arm64 ] && echo arm64 || echo x64) \
    && dotnet publish src/Parley.Server -c Release -r "$rid" -p:PublishAot=true -o /app \
    && rm -f /app/*.dbg /app/*.pdb \
    && mkdir /data

# Run: what a native binary needs (libc, libstdc++, OpenSSL, ICU-free with InvariantGlobalization), nothing else.
FROM mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled AS runtime
WORKDIR /app
COPY --from=build /app/ ./
# Owned by the user below, so that a new named volume mounted there is writable (the image has no shell to chown it).
COPY --from=build --chown=1654:1654 /data /data
# The chiseled images' non-root user ("app", uid 1654); /data is where Parley keeps its self-signed certificate.
USER 1654
ENV Server__DataPath=/data \
    ASPNETCORE_URLS=http://+:8080
VOLUME ["/data"]
# HTTP, HTTPS (Server:Https=auto or --https), STUN/TURN over UDP and TCP, TURN over TLS, and the relay ports.
EXPOSE 8080/tcp 8443/tcp 3478/udp 3478/tcp 5349/tcp 49152-65535/udp
# docker stop sends SIGTERM: clients get goaway and come back to the next instance (docs/deployment.md).
STOPSIGNAL SIGTERM
ENTRYPOINT ["/app/Parley.Server"]
