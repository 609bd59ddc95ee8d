# syntax=docker/dockerfile:1
# Hookgate: build with Maven, run on a slim JRE 17 as a non-root user.
#   docker build -t hookgate .
#   docker run -p 8080:8080 -p 8081:8081 \
#     -e DATABASE_URL='jdbc:postgresql://db:5432/hookgate?user=hookgate&password=secret' \
#     -e HOOKGATE_MASTER_KEY="$(head -c 32 /dev/urandom | base64)" \
#     -e HOOKGATE_PUBLIC_URL=https://hooks.example.com hookgate

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# Dependencies first, so that a source change does not download them again.
COPY pom.xml ./
COPY migrations/pom.xml migrations/
COPY admin-ui/pom.xml admin-ui/
COPY service/pom.xml service/
RUN mvn -B -ntp -q dependency:go-offline -DexcludeReactor=true || true
COPY migrations migrations
COPY admin-ui admin-ui
COPY service service
RUN mvn -B -ntp -q -DskipTests package

FROM eclipse-temurin:17-jre-jammy
RUN groupadd --system hookgate && useradd --system --gid hookgate --home-dir /app --shell /usr/sbin/nologin hookgate
WORKDIR /app
COPY --from=build /src/service/target/hookgate.jar /app/hookgate.jar
COPY config.yml /app/config.yml
RUN mkdir -p /app/data && chown -R hookgate:hookgate /app/data
USER hookgate
# In a container, point Hookgate at a real PostgreSQL with DATABASE_URL (and give HOOKGATE_MASTER_KEY);
# the embedded default is for a laptop, not for a container whose file system is thrown away.
# The container's own network is private; `docker run -p 127.0.0.1:8081:8081` decides who reaches the admin port.
ENV HOOKGATE_DATA_DIR=/app/data \
    HOOKGATE_ADMIN_BIND=0.0.0.0 \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
EXPOSE 8080 8081
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["java", "-cp", "/app/hookgate.jar", "io.hookgate.support.HealthProbe", "http://localhost:8081/ready"]
ENTRYPOINT ["java", "-jar", "/app/hookgate.jar"]
CMD ["server", "/app/config.yml"]
