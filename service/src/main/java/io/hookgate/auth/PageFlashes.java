package io.hookgate.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hookgate.support.Digests;
import io.hookgate.support.RandomTokens;
import io.hookgate.support.SecretBox;
import org.jdbi.v3.core.Jdbi;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * What a page shows after post/redirect/get, when it is more than a notice code and must not travel in the URL: a
 * new tenant's KEY, the answer to a test send. The redirect carries a random id; the value waits, sealed, in
 * PostgreSQL (any instance serves the GET) for {@link #KEPT}, for the user who caused it alone: a secret is taken
 * once ({@link #take}), a test's outcome read on every load ({@link #read}). The retention purge deletes the expired
 * ones, with the expired sessions.
 */
public final class PageFlashes {

    static final Duration KEPT = Duration.ofMinutes(10);

    private final Jdbi jdbi;
    private final SecretBox secrets;
    private final RandomTokens random;
    private final ObjectMapper json;
    private final Clock clock;

    public PageFlashes(Jdbi jdbi, SecretBox secrets, RandomTokens random, ObjectMapper json, Clock clock) {
        this.jdbi = jdbi;
        this.secrets = secrets;
        this.random = random;
        this.json = json;
        this.clock = clock;
    }

    /** Keeps {@code value} for {@code actor}'s next page; returns the id for the redirect's URL. */
    public String keep(Actor actor, Object value) {
        String id = random.urlSafe(24);
        byte[] sealed = secrets.seal(write(value));
        jdbi.useExtension(FlashDao.class, dao -> dao.insert(hash(id), actor.id(), sealed, clock.instant().plus(KEPT)));
        return id;
    }

    /**
     * The value kept under {@code id} for {@code actor}, as often as the page is loaded while it is kept: for what is no
     * secret (a test's outcome), so that a reload shows it again. Empty if expired, someone else's or no id.
     */
    public <T> Optional<T> read(Actor actor, String id, Class<T> type) {
        return open(id, type, (dao, hash) -> dao.read(hash, actor.id(), clock.instant()));
    }

    /** Keeps what {@code actor} has under {@code id} for {@link #KEPT} from now: a page that follows a test as it goes on. */
    public void prolong(Actor actor, String id) {
        jdbi.useExtension(FlashDao.class, dao -> dao.prolong(hash(id), actor.id(), clock.instant(), clock.instant().plus(KEPT)));
    }

    /** The value kept under {@code id} for {@code actor}, once; empty if taken already, expired, someone else's or no id. */
    public <T> Optional<T> take(Actor actor, String id, Class<T> type) {
        return open(id, type, (dao, hash) -> dao.take(hash, actor.id(), clock.instant()));
    }

    private <T> Optional<T> open(String id, Class<T> type, BiFunction<FlashDao, byte[], Optional<byte[]>> lookup) {
        if (id == null || id.isBlank()) {
            return Optional.empty();
        }
        return jdbi.withExtension(FlashDao.class, dao -> lookup.apply(dao, hash(id))).map(sealed -> parse(secrets.open(sealed), type));
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("a flash value is not serializable", e);
        }
    }

    private <T> T parse(String text, Class<T> type) {
        try {
            return json.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a kept flash value is not readable", e);
        }
    }

    private static byte[] hash(String id) {
        return Digests.sha256(id.getBytes(StandardCharsets.UTF_8));
    }
}
