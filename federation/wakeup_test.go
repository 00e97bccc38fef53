package federation

import (
	"testing"
	"time"
)

func TestWakeup(t *testing.T) {
	w := newWakeup()
	w.Nudge() // nobody waits: it must not block
	a, b := w.C(), w.C()
	select {
	case <-a:
		t.Fatal("woken before a nudge")
	default:
	}
	w.Nudge()
	w.Nudge()
	for _, c := range []<-chan struct{}{a, b} {
		select {
		case <-c:
		case <-time.After(time.Second):
			t.Fatal("a nudge did not wake every waiter")
		}
	}
	select {
	case <-w.C():
		t.Fatal("a channel taken after the nudges is already closed")
	default:
	}
}
