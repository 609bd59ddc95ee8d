package io.hookgate.web;

import org.thymeleaf.context.IExpressionContext;
import org.thymeleaf.dialect.AbstractDialect;
import org.thymeleaf.dialect.IExpressionObjectDialect;
import org.thymeleaf.expression.IExpressionObjectFactory;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Set;

/**
 * How the admin UI writes an instant: {@code 2026-12-06 04:18:19 UTC}, to the second and always in UTC, said so.
 * Templates reach it as {@code #instants} through the {@code time :: utc(instant)} fragment, which also keeps the
 * exact stored value in the {@code <time>} element's {@code datetime} and {@code title}.
 */
public final class UtcInstants {

    static final UtcInstants INSTANCE = new UtcInstants();
    private static final DateTimeFormatter AIRUDDER_LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final DateTimeFormatter TEXT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private UtcInstants() {
    }

    /** For people: seconds precision, UTC stated; empty for no instant. */
    public String text(Instant instant) {
        return instant == null ? "" : TEXT.format(instant);
    }

    /** For machines (and a mouse-over): the full ISO-8601 instant, as stored. */
    public String iso(Instant instant) {
        return instant == null ? "" : instant.toString();
    }

    /**
     * A time as a notification carries it (ISO-8601, {@code 2024-03-11T03:20:30Z}, or {@code 2024-03-11 10:19:27},
     * which AIRUDDER documents as UTC too), as an instant to show like every other; null when it is neither (missing,
     * another format), to be shown as sent.
     */
    public Instant parse(Object sent) {
        if (!(sent instanceof String text)) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(text, AIRUDDER_LOCAL).toInstant(ZoneOffset.UTC); // as in RedailCall
            } catch (DateTimeParseException notEither) {
                return null;
            }
        }
    }

    /** For notices composed in Java. */
    static String of(Instant instant) {
        return INSTANCE.text(instant);
    }

    /** Makes {@code #instants} available to every template. */
    static final class Dialect extends AbstractDialect implements IExpressionObjectDialect {

        Dialect() {
            super("hookgate-instants");
        }

        @Override
        public IExpressionObjectFactory getExpressionObjectFactory() {
            return new IExpressionObjectFactory() {
                @Override
                public Set<String> getAllExpressionObjectNames() {
                    return Set.of("instants");
                }

                @Override
                public Object buildObject(IExpressionContext context, String name) {
                    return INSTANCE;
                }

                @Override
                public boolean isCacheable(String name) {
                    return true;
                }
            };
        }
    }
}
