package org.tcsim.timing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventQueueTest {

  @Test
  void firesInTimeOrderAndTiesInScheduleOrder() {
    EventQueue q = new EventQueue();
    List<String> fired = new ArrayList<>();
    double[] times = {5, 1, 3, 1, 9, 0, 3};
    for (int i = 0; i < times.length; i++) {
      String name = times[i] + "#" + i;
      q.schedule(times[i], now -> fired.add(name));
    }
    double end = q.run();
    assertEquals(List.of("0.0#5", "1.0#1", "1.0#3", "3.0#2", "3.0#6", "5.0#0", "9.0#4"), fired);
    assertEquals(9, end);
    assertEquals(7, q.firedCount());
  }

  @Test
  void eventsMayScheduleLaterEventsButNotEarlierOnes() {
    EventQueue q = new EventQueue();
    List<Double> fired = new ArrayList<>();
    q.schedule(2, now -> {
      fired.add(now);
      q.schedule(now + 4, fired::add);
    });
    q.run();
    assertEquals(List.of(2.0, 6.0), fired);
    EventQueue bad = new EventQueue();
    bad.schedule(5, now -> bad.schedule(4, x -> {}));
    assertThrows(IllegalArgumentException.class, bad::run);
  }

  @Test
  void manyEventsComeOutSorted() {
    EventQueue q = new EventQueue();
    List<Double> fired = new ArrayList<>();
    java.util.Random r = new java.util.Random(1);
    for (int i = 0; i < 10_000; i++) {
      q.schedule(r.nextInt(1000), fired::add);
    }
    q.run();
    for (int i = 1; i < fired.size(); i++) {
      assertEquals(true, fired.get(i - 1) <= fired.get(i));
    }
    assertEquals(10_000, fired.size());
  }
}
