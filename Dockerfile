# Colmena as a small static image that runs as a non-root user.
#   docker build -t colmena .
#   docker run -p 8080:8080 -v colmena-data:/data colmena
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
# modernc.org/sqlite is pure Go, so the binary needs no C library.
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/colmena ./cmd/colmena \
 && mkdir -p /out/data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/colmena /colmena
COPY --from=build --chown=65532:65532 /out/data /data
USER 65532:65532
WORKDIR /data
ENV COLMENA_LISTEN=0.0.0.0:8080 \
    COLMENA_DATABASE=sqlite:/data/colmena.db
EXPOSE 8080
VOLUME ["/data"]
HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD ["/colmena", "healthcheck"]
ENTRYPOINT ["/colmena"]
CMD ["serve"]
