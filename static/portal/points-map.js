// Shows the self-drawn service-point map (hidden without JavaScript: the list is enough)
// and ties its markers to the list: clicking a marker picks that point.
document.addEventListener("DOMContentLoaded", () => {
  const wrap = document.querySelector("[data-points-map]");
  if (!wrap) return;
  wrap.hidden = false;
  const sync = () => {
    const checked = document.querySelector('input[name="point"]:checked');
    wrap.querySelectorAll(".marker").forEach((marker) => {
      marker.classList.toggle("selected", !!checked && marker.dataset.point === checked.value);
    });
  };
  wrap.querySelectorAll(".marker").forEach((marker) => {
    marker.addEventListener("click", () => {
      const input = document.getElementById("point-" + marker.dataset.point);
      if (input) { input.checked = true; input.focus(); sync(); }
    });
  });
  document.querySelectorAll('input[name="point"]').forEach((input) => input.addEventListener("change", sync));
  sync();
});
