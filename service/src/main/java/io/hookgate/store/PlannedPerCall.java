package io.hookgate.store;

import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.StatementCustomizer;
import org.jdbi.v3.sqlobject.customizer.SqlStatementCustomizer;
import org.jdbi.v3.sqlobject.customizer.SqlStatementCustomizerFactory;
import org.jdbi.v3.sqlobject.customizer.SqlStatementCustomizingAnnotation;
import org.postgresql.PGStatement;

import java.lang.annotation.Annotation;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.Method;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * A statement whose filters are optional ({@code cast(:status as text) is null or status = :status}) is planned for
 * each call's values, never turned into a prepared statement on the server. After a few calls on one connection the
 * driver prepares a statement, and PostgreSQL may then keep one generic plan for every value: a plan that cannot drop
 * the filters not given, nor pick the index that fits the ones given, so that a listing walks a whole table (a
 * destination's cancelled deliveries took 5 s so, among 5.6 million deliveries).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@SqlStatementCustomizingAnnotation(PlannedPerCall.Factory.class)
public @interface PlannedPerCall {

    final class Factory implements SqlStatementCustomizerFactory {

        private static final SqlStatementCustomizer UNPREPARED = statement -> statement.addCustomizer(new StatementCustomizer() {
            @Override
            public void beforeExecution(PreparedStatement prepared, StatementContext context) throws SQLException {
                prepared.unwrap(PGStatement.class).setPrepareThreshold(0);
            }
        });

        @Override
        public SqlStatementCustomizer createForType(Annotation annotation, Class<?> sqlObjectType) {
            return UNPREPARED;
        }

        @Override
        public SqlStatementCustomizer createForMethod(Annotation annotation, Class<?> sqlObjectType, Method method) {
            return UNPREPARED;
        }
    }
}
