# One image per executable Spring Boot jar of the build: the four services and the CLI.
#
# Build the jars first (the image does not compile anything), then one image per jar:
#
#   mvn -B -q package -DskipTests
#   docker build --build-arg JAR=gateway-service/target/gateway-service-exec.jar     -t tally/gateway-service:0.1.0 .
#   docker build --build-arg JAR=validator-service/target/validator-service-exec.jar -t tally/validator-service:0.1.0 .
#   docker build --build-arg JAR=ledger-service/target/ledger-service-exec.jar       -t tally/ledger-service:0.1.0 .
#   docker build --build-arg JAR=identity-service/target/identity-service-exec.jar   -t tally/identity-service:0.1.0 .
#   docker build --build-arg JAR=cli/target/tally-exec.jar                           -t tally/cli:0.1.0 .
#
# .dockerignore sends only */target/*-exec.jar, so the context stays small whatever else target/ holds.
#
# At run time the root filesystem can (and in docker-compose.yml and k8s/ does) stay read-only:
# the processes run as 10001:10001 and write only to /tmp and /var/lib/tally (the gateway's and
# identity-service's replica snapshots), both mounted as volumes (tmpfs or a named volume in
# compose, emptyDir in Kubernetes). No VOLUME is declared here, so that a container without those
# mounts (the CLI, say) leaves no anonymous volumes behind.

# --- Stage 1: split the layered jar (spring-boot-maven-plugin's layers.idx) into its layers. ---
FROM eclipse-temurin:17-jre AS extract
ARG JAR
WORKDIR /extract
# Named application.jar here because the tools jar mode names the extracted application jar after
# the jar it reads (its --application-filename defaults to the uber jar's file name).
COPY ${JAR} application.jar
# Spring Boot 4.0 tools jar mode: one directory per layer under /extracted (dependencies,
# spring-boot-loader, snapshot-dependencies, application); libraries land in <layer>/lib/ and the
# thin launcher jar (its manifest's Class-Path names lib/...) in application/application.jar.
# The jar mode itself needs spring-core among the jar's libraries (spring-boot issue 27323): the
# services have it; a jar without Spring (the CLI) must carry it for this step to work.
RUN java -Djarmode=tools -jar application.jar extract --layers --destination /extracted

# --- Stage 2: the runtime image. ---
FROM eclipse-temurin:17-jre
# curl: compose healthchecks call the management port with it. The empty directories are mount
# points owned by the run-time user: a fresh named volume mounted there takes the directory's
# owner, so 10001 can write into it (snapshots in /var/lib/tally; compose's one-shot
# `tally network init` writes the genesis and keys to /tally and the PostgreSQL init files to
# /db-init). Apart from these and /tmp, nothing is writable by 10001.
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
    && mkdir -p /var/lib/tally /tally /db-init \
    && chown 10001:10001 /var/lib/tally /tally /db-init
WORKDIR /app
# Least likely to change first, so that a rebuild after a code change reuses the library layers.
COPY --from=extract /extracted/dependencies/ /app/
COPY --from=extract /extracted/spring-boot-loader/ /app/
COPY --from=extract /extracted/snapshot-dependencies/ /app/
COPY --from=extract /extracted/application/ /app/
# The heap follows the container's memory limit; an OutOfMemoryError ends the process (the
# orchestrator restarts it) instead of leaving it half working.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
USER 10001:10001
EXPOSE 8080 8081
ENTRYPOINT ["java", "-jar", "/app/application.jar"]
