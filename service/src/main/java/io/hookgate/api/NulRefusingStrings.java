package io.hookgate.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;

import java.io.IOException;

/**
 * A JSON string holding a NUL character (\u0000) is refused where it is read, so that the refusal names its field:
 * PostgreSQL text cannot hold one, and found only on storing, the error could not say which field it was.
 */
public final class NulRefusingStrings extends StringDeserializer {

    /** For the API's object mapper. */
    public static SimpleModule module() {
        return new SimpleModule("nul-refusing-strings").addDeserializer(String.class, new NulRefusingStrings());
    }

    @Override
    public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        String value = super.deserialize(parser, context);
        if (value != null && value.indexOf('\0') >= 0) {
            throw new NulCharacter(parser);
        }
        return value;
    }

    /** Jackson adds the path to the field as it unwinds, for {@link JsonInputExceptionMapper} to name it. */
    static final class NulCharacter extends JsonMappingException {
        NulCharacter(JsonParser parser) {
            super(parser, "a text value holds a NUL character");
        }
    }
}
