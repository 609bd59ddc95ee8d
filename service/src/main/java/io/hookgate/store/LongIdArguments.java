package io.hookgate.store;

import io.hookgate.support.LongId;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.argument.ArgumentFactory;
import org.jdbi.v3.core.config.ConfigRegistry;

import java.lang.reflect.Type;
import java.sql.Types;
import java.util.Optional;

/** Lets DAOs take typed ids ({@code TenantId}, {@code EventId}, …) and bind them as bigint. */
public final class LongIdArguments implements ArgumentFactory {

    @Override
    public Optional<Argument> build(Type type, Object value, ConfigRegistry config) {
        if (!(type instanceof Class<?> cls) || !LongId.class.isAssignableFrom(cls)) {
            return Optional.empty();
        }
        if (value == null) {
            return Optional.of((position, statement, ctx) -> statement.setNull(position, Types.BIGINT));
        }
        long id = ((LongId) value).value();
        return Optional.of((position, statement, ctx) -> statement.setLong(position, id));
    }
}
