package io.hearth.compute.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearth.catalog.ColumnType;
import java.util.Date;
import org.junit.jupiter.api.Test;

class ValueColumnTest {

    @Test
    void valuesComeBackUnboxedAndBoxedWithNullsAcrossBitmapWords() {
        ValueColumn d = new ValueColumn(ColumnType.DOUBLE, 130);
        for (int i = 0; i < 130; i++) {
            d.set(i, i % 63 == 0 ? null : (Object) (i * 0.5));
        }
        for (int i = 0; i < 130; i++) {
            assertThat(d.isNull(i)).as("row %d", i).isEqualTo(i % 63 == 0);
            assertThat(d.get(i)).isEqualTo(i % 63 == 0 ? null : (Object) (i * 0.5));
        }
        d.set(63, 1.0);
        assertThat(d.isNull(63)).as("a value set over a null").isFalse();
        assertThat(d.getDouble(63)).isEqualTo(1.0);
    }

    @Test
    void everyTypeTakesWhatTrainingRowsHold() {
        ValueColumn i = new ValueColumn(ColumnType.INT, 1);
        i.set(0, 7);
        assertThat(i.get(0)).isEqualTo(7L);
        ValueColumn t = new ValueColumn(ColumnType.TIMESTAMP, 2);
        t.set(0, 1_700_000_000_123L);
        t.set(1, new Date(5));
        assertThat(t.getLong(0)).isEqualTo(1_700_000_000_123L);
        assertThat(t.get(1)).isEqualTo(5L);
        ValueColumn f = new ValueColumn(ColumnType.FLOAT, 1);
        f.set(0, 2.5f);
        assertThat(f.get(0)).isEqualTo(2.5);
        ValueColumn b = new ValueColumn(ColumnType.BOOL, 2);
        b.set(0, true);
        assertThat(b.get(0)).isEqualTo(true);
        assertThat(b.get(1)).as("never set: false, not null").isEqualTo(false);
        ValueColumn s = new ValueColumn(ColumnType.STRING, 2);
        s.set(0, "x");
        s.set(1, null);
        assertThat(s.get(0)).isEqualTo("x");
        assertThat(s.isNull(1)).isTrue();
        assertThat(s.getString(1)).isNull();
    }

    @Test
    void scatterPutsEachValueAtItsRowNumber() {
        ValueColumn part = new ValueColumn(ColumnType.LONG, 3);
        part.set(0, 10L);
        part.set(1, null);
        part.set(2, 30L);
        ValueColumn all = new ValueColumn(ColumnType.LONG, 100);
        all.set(99, 1L);
        part.scatterTo(all, new int[] {70, 99, 2});
        assertThat(all.get(70)).isEqualTo(10L);
        assertThat(all.get(99)).as("a null overwrites").isNull();
        assertThat(all.get(2)).isEqualTo(30L);
        assertThatThrownBy(() -> part.scatterTo(new ValueColumn(ColumnType.DOUBLE, 100), new int[] {0, 1, 2}))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ofRowsTakesOneColumnOfRowMajorValues() {
        Object[][] rows = {{"a", 1L}, {"b", null}};
        ValueColumn c = ValueColumn.ofRows(ColumnType.LONG, rows, 1);
        assertThat(c.size()).isEqualTo(2);
        assertThat(c.get(0)).isEqualTo(1L);
        assertThat(c.isNull(1)).isTrue();
    }
}
